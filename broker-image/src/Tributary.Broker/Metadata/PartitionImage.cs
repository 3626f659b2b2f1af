namespace Tributary.Broker.Metadata;

/// <summary>One partition's placement and leadership, as the metadata log last recorded it.</summary>
public sealed record PartitionImage(
    int Partition,
    int Leader,
    int LeaderEpoch,
    int PartitionEpoch,
    IReadOnlyList<int> Replicas,
    IReadOnlyList<int> Isr)
{
    /// <summary>No leader: -1, as Kafka writes it.</summary>
    public const int NoLeader = -1;
}
