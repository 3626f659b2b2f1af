using Tributary.Broker.Partitions;

namespace Tributary.Broker.Replication;

/// <summary>
/// One partition in a fetcher: the local partition, the leader epoch it follows, and whether it
/// waits (backoff after an error) or is fenced (a newer leader epoch exists: wait for metadata).
/// Guarded by the fetcher's lock; replaced whole when the leader or epoch changes.
/// </summary>
internal sealed class PartitionFetchState
{
    public PartitionFetchState(Partition partition, int leaderEpoch)
    {
        Partition = partition;
        LeaderEpoch = leaderEpoch;
    }

    public Partition Partition { get; }

    public int LeaderEpoch { get; }

    public long DelayedUntilMs { get; set; }

    public bool Fenced { get; set; }

    /// <summary>The offset the request in flight fetches from.</summary>
    public long FetchOffset { get; set; }
}
