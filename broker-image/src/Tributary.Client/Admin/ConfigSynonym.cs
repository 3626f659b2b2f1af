namespace Tributary.Client.Admin;

/// <summary>One place a config's value could come from, in precedence order (DescribeConfigs with synonyms).</summary>
public sealed record ConfigSynonym(string Name, string? Value, ConfigSource Source);
