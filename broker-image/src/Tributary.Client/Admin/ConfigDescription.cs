namespace Tributary.Client.Admin;

/// <summary>DescribeConfigs' answer for one resource.</summary>
public sealed record ConfigDescription(ConfigResource Resource, AdminResult Result, IReadOnlyList<ConfigEntry> Entries)
{
    /// <summary>Entries by name.</summary>
    public IReadOnlyDictionary<string, ConfigEntry> ByName => Entries.ToDictionary(e => e.Name, StringComparer.Ordinal);
}
