using Tributary.Broker.Raft;

namespace Tributary.Broker.Quorum;

/// <summary>
/// Receives what the quorum committed, in log order. <see cref="RaftDriver"/> calls it on its event
/// loop, so implementations must only hand the data on (to their own thread), never block.
/// </summary>
public interface IRaftStateMachine
{
    /// <summary>
    /// The state below <paramref name="id"/>.EndOffset was replaced by a snapshot (loaded at start
    /// or received from the leader): discard everything and load <paramref name="state"/>.
    /// </summary>
    void LoadSnapshot(RaftSnapshotId id, ReadOnlyMemory<byte> state);

    /// <summary>
    /// Whole committed record batches (owned copies), contiguous with what was delivered before,
    /// ending at offset <paramref name="endOffset"/> (exclusive).
    /// </summary>
    void ApplyCommitted(ReadOnlyMemory<byte> batches, long endOffset);

    /// <summary>The role, epoch, leader or high watermark changed.</summary>
    void StatusChanged(RaftStatus status);
}
