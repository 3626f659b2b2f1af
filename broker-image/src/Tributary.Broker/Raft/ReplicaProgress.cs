namespace Tributary.Broker.Raft;

/// <summary>What a leader knows about one replica in its epoch.</summary>
public sealed class ReplicaProgress
{
    public ReplicaProgress(int nodeId) => NodeId = nodeId;

    public int NodeId { get; }

    /// <summary>The replica's log end offset as of its last valid Fetch (its fetch offset), or -1.</summary>
    public long EndOffset { get; set; } = -1;

    /// <summary>When the replica last fetched (or fetched a snapshot) in this epoch, or -1.</summary>
    public long LastFetchTime { get; set; } = -1;

    /// <summary>True once the replica acknowledged the epoch (BeginQuorumEpoch answer or any fetch).</summary>
    public bool Acknowledged { get; set; }

    /// <summary>When BeginQuorumEpoch was last sent to it, for resends.</summary>
    public long BeginEpochSentAt { get; set; } = long.MinValue;
}
