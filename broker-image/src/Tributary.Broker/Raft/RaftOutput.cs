using Tributary.Protocol.Messages;

namespace Tributary.Broker.Raft;

/// <summary>
/// What one call into <see cref="RaftNode"/> produced. The node has already applied its log and
/// quorum-state effects through <see cref="IRaftLog"/> and <see cref="IQuorumStateStore"/>; the
/// caller sends <see cref="Messages"/>, answers the inbound request with <see cref="Response"/>,
/// and feeds the state machine when the high watermark moved or a snapshot was installed.
/// </summary>
public sealed class RaftOutput
{
    /// <summary>Requests (and nothing else) to send to other replicas.</summary>
    public List<RaftMessage> Messages { get; } = [];

    /// <summary>The answer to the request passed to <see cref="RaftNode.Handle"/>, if it was a request.</summary>
    public IApiResponse? Response { get; set; }

    /// <summary>The new high watermark when it advanced: records below it are committed.</summary>
    public long? HighWatermark { get; set; }

    /// <summary>Set when uncommitted records at and above this offset were removed from the log.</summary>
    public long? TruncatedTo { get; set; }

    /// <summary>Set when the log was replaced by this snapshot: the state machine must reload it.</summary>
    public RaftSnapshotId? InstalledSnapshot { get; set; }

    /// <summary>True when the role, epoch or known leader changed.</summary>
    public bool StateChanged { get; set; }
}
