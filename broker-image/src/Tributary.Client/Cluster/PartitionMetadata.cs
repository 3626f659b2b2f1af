using Tributary.Protocol;

namespace Tributary.Client.Cluster;

/// <summary>One partition's leader and replica sets; <see cref="Leader"/> is -1 when it has none.</summary>
public sealed record PartitionMetadata(
    int Partition,
    int Leader,
    int LeaderEpoch,
    IReadOnlyList<int> Replicas,
    IReadOnlyList<int> Isr,
    IReadOnlyList<int> OfflineReplicas,
    ErrorCode Error);
