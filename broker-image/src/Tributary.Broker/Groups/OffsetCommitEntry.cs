namespace Tributary.Broker.Groups;

/// <summary>One partition's offset to commit. <see cref="LeaderEpoch"/> is -1 when unknown.</summary>
public sealed record OffsetCommitEntry(string Topic, int Partition, long Offset, int LeaderEpoch, string? Metadata);
