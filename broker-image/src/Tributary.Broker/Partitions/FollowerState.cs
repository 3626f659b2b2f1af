namespace Tributary.Broker.Partitions;

/// <summary>
/// The leader's view of one follower (Kafka's Replica state): how far its log reaches and when
/// it was last caught up with the leader's log end, which decides ISR membership.
/// Guarded by the partition's state lock.
/// </summary>
internal sealed class FollowerState
{
    /// <summary>The follower's log end offset (its last fetch offset); -1 while unknown.</summary>
    public long LogEndOffset { get; set; } = -1;

    /// <summary>The last time its fetch offset reached the leader's log end as of an earlier fetch.</summary>
    public long LastCaughtUpTimeMs { get; set; }

    public long LastFetchTimeMs { get; set; }

    /// <summary>The leader's log end offset at the follower's previous fetch.</summary>
    public long LastFetchLeaderLogEndOffset { get; set; } = -1;

    /// <summary>The broker epoch the follower sent (Fetch v15+), -1 when not sent.</summary>
    public long BrokerEpoch { get; set; } = -1;

    /// <summary>
    /// Kafka's rule: caught up now if the fetch reached the leader's end; otherwise caught up as of
    /// the previous fetch if this fetch reached where the leader's log ended then.
    /// </summary>
    public void RecordFetch(long fetchOffset, long leaderLogEndOffset, long nowMs)
    {
        if (fetchOffset >= leaderLogEndOffset)
        {
            LastCaughtUpTimeMs = Math.Max(LastCaughtUpTimeMs, nowMs);
        }
        else if (LastFetchLeaderLogEndOffset >= 0 && fetchOffset >= LastFetchLeaderLogEndOffset)
        {
            LastCaughtUpTimeMs = Math.Max(LastCaughtUpTimeMs, LastFetchTimeMs);
        }

        LogEndOffset = fetchOffset;
        LastFetchLeaderLogEndOffset = leaderLogEndOffset;
        LastFetchTimeMs = nowMs;
    }

    /// <summary>Resets on a new leader term: in-sync followers count as caught up now, others as never.</summary>
    public void Reset(long nowMs, bool inSync)
    {
        LogEndOffset = -1;
        LastFetchLeaderLogEndOffset = -1;
        LastFetchTimeMs = 0;
        LastCaughtUpTimeMs = inSync ? nowMs : 0;
    }
}
