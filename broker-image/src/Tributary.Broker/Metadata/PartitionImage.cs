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

    /// <summary>Replicas a reassignment (KIP-455) is adding; they are in <see cref="Replicas"/> too.</summary>
    public IReadOnlyList<int> AddingReplicas { get; init; } = [];

    /// <summary>Replicas a reassignment is removing once the target replicas are all in sync; in <see cref="Replicas"/> too.</summary>
    public IReadOnlyList<int> RemovingReplicas { get; init; } = [];

    /// <summary>0 = recovered; 1 = the leader was elected uncleanly and is still recovering (KIP-704).</summary>
    public sbyte LeaderRecoveryState { get; init; }

    public bool IsReassigning => AddingReplicas.Count > 0 || RemovingReplicas.Count > 0;

    /// <summary>The preferred leader: the first replica (-1 when there are none).</summary>
    public int PreferredLeader => Replicas.Count > 0 ? Replicas[0] : NoLeader;
}
