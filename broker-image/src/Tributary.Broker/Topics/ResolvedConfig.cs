namespace Tributary.Broker.Topics;

/// <summary>
/// A config's effective value as DescribeConfigs and CreateTopics v5+ report it. Sensitive values
/// are reported as null. <see cref="Synonyms"/> lists every layer that has a value, strongest first.
/// </summary>
public sealed record ResolvedConfig(
    string Name,
    string? Value,
    ConfigSource Source,
    ConfigType Type,
    bool ReadOnly,
    bool IsSensitive,
    string? Documentation,
    IReadOnlyList<ConfigSynonym> Synonyms);
