namespace Tributary.Client.Admin;

/// <summary>One config of a resource; sensitive values come back as null.</summary>
public sealed record ConfigEntry(string Name, string? Value, ConfigSource Source, bool IsReadOnly, bool IsDefault, bool IsSensitive)
{
    /// <summary>The value's sources in precedence order; empty unless synonyms were asked for.</summary>
    public IReadOnlyList<ConfigSynonym> Synonyms { get; init; } = [];
}
