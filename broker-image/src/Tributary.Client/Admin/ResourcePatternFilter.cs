using Tributary.Protocol.Acls;

namespace Tributary.Client.Admin;

/// <summary>
/// Selects resource patterns: a type (or Any), a name (null for any name) and a pattern type
/// (Any: every pattern type with that exact name; Match: every pattern that applies to that name).
/// </summary>
public sealed record ResourcePatternFilter(AclResourceType Type, string? Name, AclPatternType PatternType)
{
    /// <summary>Matches every resource pattern.</summary>
    public static ResourcePatternFilter Any { get; } = new(AclResourceType.Any, null, AclPatternType.Any);
}
