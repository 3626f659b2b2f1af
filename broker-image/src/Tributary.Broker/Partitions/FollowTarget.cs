namespace Tributary.Broker.Partitions;

/// <summary>A local partition to replicate from <paramref name="LeaderId"/> in <paramref name="LeaderEpoch"/>.</summary>
public sealed record FollowTarget(Partition Partition, int LeaderId, int LeaderEpoch);
