namespace Tributary.Broker.Topics;

/// <summary>One layer of a config's value, in precedence order (DescribeConfigs synonyms).</summary>
public sealed record ConfigSynonym(string Name, string? Value, ConfigSource Source);
