namespace Tributary.Broker.Metadata;

/// <summary>
/// Who leads the metadata quorum, as this node last learned it. The quorum leader is the active
/// controller: only it may commit metadata records. Implemented by the Raft-backed store (and by
/// the single-node store, which always leads).
/// </summary>
public interface IQuorumView
{
    /// <summary>This node's id.</summary>
    int NodeId { get; }

    /// <summary>The current leader (active controller) id, or -1 while an election is running.</summary>
    int LeaderId { get; }

    /// <summary>The current leader epoch (the controller epoch).</summary>
    int LeaderEpoch { get; }

    /// <summary>True when this node is the leader and has committed a record of its own epoch, so it may write.</summary>
    bool IsActiveController { get; }

    /// <summary>Raised (off any lock) whenever the leader, the epoch or <see cref="IsActiveController"/> changed.</summary>
    event Action? LeadershipChanged;
}
