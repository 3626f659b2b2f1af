namespace Tributary.Broker.Metadata;

/// <summary>A topic: its id, partitions and the topic-level config overrides (not defaults).</summary>
public sealed record TopicImage(
    string Name,
    Guid Id,
    IReadOnlyDictionary<int, PartitionImage> Partitions,
    IReadOnlyDictionary<string, string> Configs)
{
    public bool IsInternal => Name.StartsWith("__", StringComparison.Ordinal);
}
