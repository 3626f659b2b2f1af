namespace Tributary.Broker.Raft;

/// <summary>The states of a KRaft replica (KIP-595). Observers only use Unattached and Follower.</summary>
public enum RaftRole
{
    /// <summary>Knows the epoch but neither the leader nor a vote cast in it.</summary>
    Unattached,

    /// <summary>Has granted its (single) vote for the current epoch to a candidate.</summary>
    Voted,

    /// <summary>Started an election for the current epoch and voted for itself.</summary>
    Candidate,

    /// <summary>Won the election for the current epoch; the only replica that appends.</summary>
    Leader,

    /// <summary>Knows the leader of the current epoch and fetches from it.</summary>
    Follower,

    /// <summary>Was leader of the current epoch and gave it up; waits for a successor.</summary>
    Resigned,
}
