namespace Tributary.Broker.Raft;

/// <summary>Durable storage for <see cref="QuorumState"/> (the quorum-state file).</summary>
public interface IQuorumStateStore
{
    /// <summary>The last saved state, or <see cref="QuorumState.Initial"/> when none was saved.</summary>
    QuorumState Load();

    /// <summary>Saves <paramref name="state"/> durably before returning.</summary>
    void Save(QuorumState state);
}
