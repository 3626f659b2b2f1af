namespace Tributary.Operator.Tests.Topics;

/// <summary>A topic held by <see cref="InMemoryKafka"/>.</summary>
public sealed class InMemoryTopic
{
    public required string Name { get; init; }

    public required string TopicId { get; init; }

    public int Partitions { get; set; }

    public int ReplicationFactor { get; set; }

    /// <summary>Topic-level overrides only.</summary>
    public Dictionary<string, string> Configs { get; } = new(StringComparer.Ordinal);
}
