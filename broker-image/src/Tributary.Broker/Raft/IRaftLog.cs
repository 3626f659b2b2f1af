namespace Tributary.Broker.Raft;

/// <summary>
/// The replicated log as the Raft core sees it: v2 record batches, each written by the leader
/// of one epoch (its PartitionLeaderEpoch), at contiguous offsets, optionally preceded by a
/// snapshot that replaced the records below <see cref="StartOffset"/>. Every mutation must be
/// durable when it returns: a replica acknowledges records by fetching past them.
/// </summary>
public interface IRaftLog
{
    /// <summary>The first offset still in the log (the latest snapshot's end offset, or 0).</summary>
    long StartOffset { get; }

    /// <summary>The offset the next record gets.</summary>
    long EndOffset { get; }

    /// <summary>The epoch of the last record, or the snapshot's epoch when the log is empty after it, or 0.</summary>
    int LastEpoch { get; }

    /// <summary>The latest snapshot, if any.</summary>
    RaftSnapshotId? LatestSnapshot { get; }

    /// <summary>
    /// Appends one v2 record batch whose base offset is <see cref="EndOffset"/> and whose leader
    /// epoch is at least <see cref="LastEpoch"/>. The bytes are copied.
    /// </summary>
    void Append(ReadOnlySpan<byte> batch);

    /// <summary>
    /// The largest epoch at or below <paramref name="epoch"/> known to the log, with the offset after its
    /// last record; null when <paramref name="epoch"/> is older than the latest snapshot (history gone).
    /// </summary>
    RaftEpochEnd? EndOffsetForEpoch(int epoch);

    /// <summary>The epoch of the record at <paramref name="offset"/>, or null when it is not in the log.</summary>
    int? EpochOf(long offset);

    /// <summary>True when a batch starts at <paramref name="offset"/> or it equals <see cref="EndOffset"/>.</summary>
    bool IsBatchBoundary(long offset);

    /// <summary>
    /// Whole batches starting with the one holding <paramref name="fromOffset"/>, concatenated, up to
    /// <paramref name="maxBytes"/> (at least one batch, so a big batch cannot stall replication).
    /// Empty at the log end.
    /// </summary>
    ReadOnlyMemory<byte> Read(long fromOffset, int maxBytes);

    /// <summary>Removes every batch at or above <paramref name="offset"/> (a batch boundary).</summary>
    void TruncateTo(long offset);

    /// <summary>
    /// Stores a snapshot of the state below <paramref name="id"/>.EndOffset (a batch boundary within the
    /// log) and drops the records it covers, so <see cref="StartOffset"/> becomes that offset.
    /// </summary>
    void CreateSnapshot(RaftSnapshotId id, ReadOnlySpan<byte> state);

    /// <summary>The bytes of snapshot <paramref name="id"/>, or false when it is not (or no longer) stored.</summary>
    bool TryReadSnapshot(RaftSnapshotId id, out ReadOnlyMemory<byte> state);

    /// <summary>Replaces the whole log with snapshot <paramref name="id"/>: afterwards start and end offset are its end offset.</summary>
    void InstallSnapshot(RaftSnapshotId id, ReadOnlySpan<byte> state);
}
