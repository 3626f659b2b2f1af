namespace Tributary.Broker.Raft;

/// <summary>
/// Answer to "where does epoch E end in this log": the largest epoch at or below E that the log
/// knows and the offset after its last record (the start of the next epoch, or the log end).
/// </summary>
public readonly record struct RaftEpochEnd(int Epoch, long EndOffset);
