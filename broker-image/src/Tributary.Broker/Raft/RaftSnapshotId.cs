namespace Tributary.Broker.Raft;

/// <summary>
/// Names a snapshot: it holds the state after every record below <paramref name="EndOffset"/>,
/// and <paramref name="Epoch"/> is the epoch of the last record it covers.
/// </summary>
public readonly record struct RaftSnapshotId(long EndOffset, int Epoch);
