namespace Tributary.Broker.Raft;

/// <summary>A <see cref="IQuorumStateStore"/> held in memory (tests; survives a simulated restart).</summary>
public sealed class InMemoryQuorumStateStore : IQuorumStateStore
{
    private QuorumState _state = QuorumState.Initial;

    /// <summary>How many times <see cref="Save"/> ran.</summary>
    public int SaveCount { get; private set; }

    public QuorumState Load() => _state;

    public void Save(QuorumState state)
    {
        _state = state;
        SaveCount++;
    }
}
