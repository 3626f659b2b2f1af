namespace Tributary.Broker.Partitions;

/// <summary>One partition's leadership as last applied from the metadata image (immutable, swapped whole).</summary>
public sealed record PartitionLeadership(int Leader, int LeaderEpoch, int PartitionEpoch, IReadOnlyList<int> Replicas, IReadOnlyList<int> Isr)
{
    public static PartitionLeadership None { get; } = new(-1, -1, -1, [], []);
}
