namespace Tributary.Broker.Raft;

/// <summary>
/// The part of a replica's election state that must survive a restart: the epoch it is in,
/// whom it voted for in that epoch and the leader it knows for that epoch (-1 for none).
/// Persisting the vote before answering a Vote request is what stops a restarted replica from
/// voting twice in one epoch, which could elect two leaders.
/// </summary>
public readonly record struct QuorumState(int Epoch, int VotedId, int LeaderId)
{
    /// <summary>The state of a replica that never ran: epoch 0, no vote, no leader.</summary>
    public static QuorumState Initial { get; } = new(0, -1, -1);
}
