namespace Tributary.Client.Admin;

/// <summary>
/// Selects resource patterns: a type (or Any), a name (null for any name) and a pattern type
/// (Any: every pattern type with that exact name; Match: every pattern that applies to that name).
/// </summary>
public sealed record ResourcePatternFilter(ResourceType Type, string? Name, PatternType PatternType)
{
    /// <summary>Matches every resource pattern.</summary>
    public static ResourcePatternFilter Any { get; } = new(ResourceType.Any, null, PatternType.Any);
}
