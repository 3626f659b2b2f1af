namespace Tributary.Client.Consumer;

/// <summary>The outcome of a completed join: the generation and this member's partitions.</summary>
public sealed record GroupAssignment(int GenerationId, string MemberId, bool IsLeader, string Protocol, IReadOnlyList<TopicPartition> Partitions);
