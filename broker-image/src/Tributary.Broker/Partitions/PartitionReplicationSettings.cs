namespace Tributary.Broker.Partitions;

/// <summary>
/// What a partition needs to manage replication as a leader: the lag limit, the channel for
/// ISR changes, which brokers may join an ISR, and counters for ISR changes. The defaults are
/// single-node behaviour (no ISR changes are ever proposed without a sender).
/// </summary>
public sealed class PartitionReplicationSettings
{
    public static PartitionReplicationSettings SingleNode { get; } = new();

    /// <summary><c>replica.lag.time.max.ms</c>: a follower not caught up for this long leaves the ISR.</summary>
    public long ReplicaLagTimeMaxMs { get; init; } = 30_000;

    /// <summary>Where ISR changes go; null: never propose any (single node).</summary>
    public IIsrChangeSender? IsrSender { get; init; }

    /// <summary>KIP-841: only registered, unfenced brokers may join an ISR. Null: any replica.</summary>
    public Func<int, bool>? IsEligibleForIsr { get; init; }

    /// <summary>Called once per committed ISR shrink.</summary>
    public Action? OnIsrShrink { get; init; }

    /// <summary>Called once per committed ISR expansion.</summary>
    public Action? OnIsrExpand { get; init; }

    /// <summary>Called when an ISR change failed (the error), for logging.</summary>
    public Action<IsrChangeProposal, string>? OnIsrChangeFailed { get; init; }
}
