using Tributary.Broker.Raft;

namespace Tributary.Broker.Quorum;

/// <summary>
/// What the Raft node looked like after the driver's last step, published for other threads.
/// <see cref="EpochStartOffset"/> is the offset of the leader's LeaderChange record (-1 unless leading).
/// </summary>
public sealed record RaftStatus(
    int NodeId,
    RaftRole Role,
    int Epoch,
    int LeaderId,
    long HighWatermark,
    long LogEndOffset,
    long EpochStartOffset)
{
    /// <summary>Leads and has committed its own LeaderChange record, so the whole log below the high watermark is its own.</summary>
    public bool IsLeaderReady => Role == RaftRole.Leader && HighWatermark > EpochStartOffset;
}
