using Tributary.Protocol.Records;

namespace Tributary.Broker.Raft;

/// <summary>
/// An <see cref="IRaftLog"/> in memory: a list of batches plus the latest snapshot. Used by the
/// tests' cluster simulator, where "durable" means it survives a simulated restart.
/// Lookups scan the list; metadata logs between snapshots are short.
/// </summary>
public sealed class InMemoryRaftLog : IRaftLog
{
    private readonly List<StoredBatch> _batches = [];
    private RaftSnapshotId? _snapshot;
    private byte[] _snapshotState = [];

    public long StartOffset { get; private set; }

    public long EndOffset => _batches.Count == 0 ? StartOffset : _batches[^1].LastOffset + 1;

    public int LastEpoch => _batches.Count > 0 ? _batches[^1].Epoch : _snapshot?.Epoch ?? 0;

    public RaftSnapshotId? LatestSnapshot => _snapshot;

    /// <summary>The batches in offset order (for assertions).</summary>
    public IReadOnlyList<StoredBatch> Batches => _batches;

    public void Append(ReadOnlySpan<byte> batch)
    {
        var view = new RecordBatch(batch);
        if (view.BaseOffset != EndOffset)
        {
            throw new ArgumentException($"batch base offset {view.BaseOffset} is not the log end offset {EndOffset}", nameof(batch));
        }

        if (view.PartitionLeaderEpoch < LastEpoch)
        {
            throw new ArgumentException($"batch epoch {view.PartitionLeaderEpoch} is below the last epoch {LastEpoch}", nameof(batch));
        }

        _batches.Add(new StoredBatch(view.BaseOffset, view.LastOffset, view.PartitionLeaderEpoch, batch.ToArray()));
    }

    public RaftEpochEnd? EndOffsetForEpoch(int epoch)
    {
        // Epochs never decrease along the log, so the last batch at or below the epoch ends it.
        for (var i = _batches.Count - 1; i >= 0; i--)
        {
            if (_batches[i].Epoch <= epoch)
            {
                return new RaftEpochEnd(_batches[i].Epoch, _batches[i].LastOffset + 1);
            }
        }

        if (_snapshot is { } snapshot)
        {
            return snapshot.Epoch <= epoch ? new RaftEpochEnd(snapshot.Epoch, StartOffset) : null;
        }

        // Nothing at or below the epoch and no history before offset 0: everything diverges.
        return new RaftEpochEnd(0, 0);
    }

    public int? EpochOf(long offset)
    {
        foreach (var batch in _batches)
        {
            if (batch.BaseOffset <= offset && offset <= batch.LastOffset)
            {
                return batch.Epoch;
            }
        }

        return null;
    }

    public bool IsBatchBoundary(long offset) =>
        offset == EndOffset || _batches.Exists(b => b.BaseOffset == offset);

    public ReadOnlyMemory<byte> Read(long fromOffset, int maxBytes)
    {
        var first = _batches.FindIndex(b => b.LastOffset >= fromOffset);
        if (first < 0)
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        var end = first + 1;
        var size = _batches[first].Bytes.Length;
        while (end < _batches.Count && size + _batches[end].Bytes.Length <= maxBytes)
        {
            size += _batches[end].Bytes.Length;
            end++;
        }

        var result = new byte[size];
        var position = 0;
        for (var i = first; i < end; i++)
        {
            _batches[i].Bytes.CopyTo(result, position);
            position += _batches[i].Bytes.Length;
        }

        return result;
    }

    public void TruncateTo(long offset)
    {
        if (offset < StartOffset)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), $"cannot truncate to {offset}, below the log start {StartOffset}");
        }

        _batches.RemoveAll(b => b.LastOffset >= offset);
    }

    public void CreateSnapshot(RaftSnapshotId id, ReadOnlySpan<byte> state)
    {
        if (id.EndOffset <= StartOffset || id.EndOffset > EndOffset || !IsBatchBoundary(id.EndOffset))
        {
            throw new ArgumentOutOfRangeException(nameof(id), $"snapshot end {id.EndOffset} is not a batch boundary in ({StartOffset}, {EndOffset}]");
        }

        _batches.RemoveAll(b => b.LastOffset < id.EndOffset);
        _snapshot = id;
        _snapshotState = state.ToArray();
        StartOffset = id.EndOffset;
    }

    public bool TryReadSnapshot(RaftSnapshotId id, out ReadOnlyMemory<byte> state)
    {
        state = _snapshot == id ? _snapshotState : ReadOnlyMemory<byte>.Empty;
        return _snapshot == id;
    }

    public void InstallSnapshot(RaftSnapshotId id, ReadOnlySpan<byte> state)
    {
        _batches.Clear();
        _snapshot = id;
        _snapshotState = state.ToArray();
        StartOffset = id.EndOffset;
    }
}
