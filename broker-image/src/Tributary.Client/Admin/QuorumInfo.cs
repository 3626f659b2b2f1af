namespace Tributary.Client.Admin;

/// <summary>The metadata quorum as DescribeQuorum reports it (for the operator's roller).</summary>
public sealed record QuorumInfo(int LeaderId, int LeaderEpoch, long HighWatermark, IReadOnlyList<QuorumReplica> Voters, IReadOnlyList<QuorumReplica> Observers)
{
    /// <summary>How far a replica's log end is behind the high watermark (0 when caught up).</summary>
    public long LagOf(QuorumReplica replica)
    {
        ArgumentNullException.ThrowIfNull(replica);
        return Math.Max(0, HighWatermark - replica.LogEndOffset);
    }
}
