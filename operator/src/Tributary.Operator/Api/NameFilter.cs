using System.ComponentModel;
using Tributary.Operator.Crds;

namespace Tributary.Operator.Api;

/// <summary>Selects names by regular expressions: included unless an exclude pattern also matches.</summary>
[Description("Regular-expression include and exclude lists (a name must match an include and no exclude).")]
public sealed class NameFilter
{
    [Description("Patterns to include (full match).")]
    [SchemaMaxItems(100)]
    [SchemaMaxLength(1024)]
    [SchemaDefaultJson("""[".*"]""")]
    public List<string> Include { get; set; } = [".*"];

    [Description("Patterns to exclude (full match).")]
    [SchemaMaxItems(100)]
    [SchemaMaxLength(1024)]
    public List<string>? Exclude { get; set; }
}
