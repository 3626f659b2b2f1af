namespace Tributary.Operator.Crds;

/// <summary>ECMA-262 regular expression a string field (or each item of a string list) must match.</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class SchemaPatternAttribute : Attribute
{
    public SchemaPatternAttribute(string pattern) => Pattern = pattern;

    public string Pattern { get; }
}
