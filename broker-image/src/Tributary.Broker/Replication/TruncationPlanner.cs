using Tributary.Storage;

namespace Tributary.Broker.Replication;

/// <summary>
/// Where a follower truncates once the leader told it the end of an epoch (a Fetch diverging
/// epoch, or an OffsetForLeaderEpoch answer): Kafka's offset-truncation rules, as a pure function.
/// </summary>
public static class TruncationPlanner
{
    /// <param name="leaderEpoch">The epoch the leader answered with (-1: unknown to it).</param>
    /// <param name="leaderEndOffset">The end offset of that epoch on the leader (-1: unknown).</param>
    /// <param name="followerEnd">The follower's own answer for <paramref name="leaderEpoch"/> (largest epoch &lt;= it, and its end).</param>
    /// <param name="followerLogEnd">The follower's log end offset.</param>
    /// <param name="followerHighWatermark">The follower's high watermark.</param>
    /// <returns>The offset to truncate to, and whether that is final (false: ask again after truncating).</returns>
    public static (long Offset, bool Complete) Plan(int leaderEpoch, long leaderEndOffset, EpochEntry followerEnd, long followerLogEnd, long followerHighWatermark)
    {
        if (leaderEndOffset < 0)
        {
            // The leader knows nothing of our epochs: only what was committed is safe.
            return (Math.Min(followerHighWatermark, followerLogEnd), true);
        }

        if (leaderEpoch < 0 || followerEnd.Epoch < 0)
        {
            return (Math.Min(leaderEndOffset, followerLogEnd), true);
        }

        if (followerEnd.Epoch != leaderEpoch)
        {
            // We never had the leader's epoch: cut back to the end of our largest epoch below it and re-check.
            return (Math.Min(followerEnd.StartOffset, followerLogEnd), false);
        }

        return (Math.Min(Math.Min(followerEnd.StartOffset, leaderEndOffset), followerLogEnd), true);
    }
}
