using System.Buffers.Binary;
using System.Globalization;
using Tributary.Protocol.Checksums;
using Tributary.Protocol.Records;
using Tributary.Storage;

namespace Tributary.Broker.Raft;

/// <summary>
/// The durable <see cref="IRaftLog"/>: batches in a <see cref="PartitionLog"/> (segments, indexes,
/// the leader-epoch checkpoint), fsynced on every append and truncation, and snapshots as files
/// <c>{endOffset:D20}-{epoch:D10}.checkpoint</c> (the state bytes then a CRC32C) in a directory of
/// their own. Opening reconciles a crash between writing a snapshot and trimming the log.
/// </summary>
public sealed class PartitionRaftLog : IRaftLog
{
    private const string SnapshotSuffix = ".checkpoint";
    private readonly PartitionLog _log;
    private readonly string _snapshotDirectory;
    private RaftSnapshotId? _snapshot;
    private byte[]? _snapshotState;

    public PartitionRaftLog(PartitionLog log, string snapshotDirectory)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentException.ThrowIfNullOrEmpty(snapshotDirectory);
        _log = log;
        _snapshotDirectory = snapshotDirectory;
        Directory.CreateDirectory(snapshotDirectory);
        _snapshot = FindLatestSnapshot();
        if (_snapshot is { } snapshot)
        {
            // A crash may have come between the snapshot file and the log trim: finish the trim.
            if (snapshot.EndOffset > _log.LogEndOffset)
            {
                _log.TruncateFullyAndStartAt(snapshot.EndOffset);
            }
            else if (snapshot.EndOffset > _log.LogStartOffset)
            {
                _log.DeleteRecordsBefore(snapshot.EndOffset);
            }
        }
    }

    public long StartOffset => Math.Max(_log.LogStartOffset, _snapshot?.EndOffset ?? 0);

    public long EndOffset => _log.LogEndOffset;

    public int LastEpoch
    {
        get
        {
            var latest = _log.LeaderEpochs.LatestEpoch;
            return latest >= 0 && EndOffset > StartOffset ? latest : _snapshot?.Epoch ?? Math.Max(latest, 0);
        }
    }

    public RaftSnapshotId? LatestSnapshot => _snapshot;

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

        _log.AppendAsFollower(batch);
        _log.Flush();
    }

    public RaftEpochEnd? EndOffsetForEpoch(int epoch)
    {
        var entries = _log.LeaderEpochs.Entries;
        for (var i = entries.Count - 1; i >= 0; i--)
        {
            if (entries[i].Epoch <= epoch && entries[i].StartOffset < EndOffset)
            {
                var end = i + 1 < entries.Count ? entries[i + 1].StartOffset : EndOffset;
                return new RaftEpochEnd(entries[i].Epoch, end);
            }
        }

        if (_snapshot is { } snapshot)
        {
            return snapshot.Epoch <= epoch ? new RaftEpochEnd(snapshot.Epoch, StartOffset) : null;
        }

        return new RaftEpochEnd(0, 0);
    }

    public int? EpochOf(long offset)
    {
        if (offset < StartOffset || offset >= EndOffset)
        {
            return null;
        }

        var entries = _log.LeaderEpochs.Entries;
        for (var i = entries.Count - 1; i >= 0; i--)
        {
            if (entries[i].StartOffset <= offset)
            {
                return entries[i].Epoch;
            }
        }

        return null;
    }

    public bool IsBatchBoundary(long offset)
    {
        if (offset == EndOffset)
        {
            return true;
        }

        if (offset < _log.LogStartOffset || offset > EndOffset)
        {
            return false;
        }

        foreach (var batch in _log.ReadBatchHeaders(offset))
        {
            return batch.BaseOffset == offset;
        }

        return false;
    }

    public ReadOnlyMemory<byte> Read(long fromOffset, int maxBytes)
    {
        using var result = _log.Read(fromOffset, maxBytes);
        return result.Status == ReadStatus.Ok ? result.Records.ToArray() : ReadOnlyMemory<byte>.Empty;
    }

    public void TruncateTo(long offset)
    {
        if (offset < StartOffset)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), $"cannot truncate to {offset}, below the log start {StartOffset}");
        }

        _log.TruncateTo(offset);
        _log.Flush();
    }

    public void CreateSnapshot(RaftSnapshotId id, ReadOnlySpan<byte> state)
    {
        if (id.EndOffset <= StartOffset || id.EndOffset > EndOffset || !IsBatchBoundary(id.EndOffset))
        {
            throw new ArgumentOutOfRangeException(nameof(id), $"snapshot end {id.EndOffset} is not a batch boundary in ({StartOffset}, {EndOffset}]");
        }

        WriteSnapshot(id, state);
        _log.DeleteRecordsBefore(id.EndOffset);
    }

    public bool TryReadSnapshot(RaftSnapshotId id, out ReadOnlyMemory<byte> state)
    {
        state = ReadOnlyMemory<byte>.Empty;
        if (_snapshot != id)
        {
            return false;
        }

        _snapshotState ??= LoadSnapshot(id);
        state = _snapshotState;
        return true;
    }

    public void InstallSnapshot(RaftSnapshotId id, ReadOnlySpan<byte> state)
    {
        WriteSnapshot(id, state);
        _log.TruncateFullyAndStartAt(id.EndOffset);
    }

    private static string FileName(RaftSnapshotId id) =>
        string.Create(CultureInfo.InvariantCulture, $"{id.EndOffset:D20}-{id.Epoch:D10}{SnapshotSuffix}");

    /// <summary>Writes the new snapshot durably, then removes older ones (the new one supersedes them).</summary>
    private void WriteSnapshot(RaftSnapshotId id, ReadOnlySpan<byte> state)
    {
        var bytes = new byte[state.Length + 4];
        state.CopyTo(bytes);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(state.Length), Crc32C.Compute(state));
        FileIo.WriteAtomically(Path.Combine(_snapshotDirectory, FileName(id)), bytes);
        var previous = _snapshot;
        _snapshot = id;
        _snapshotState = state.ToArray();
        if (previous is { } old && old != id)
        {
            File.Delete(Path.Combine(_snapshotDirectory, FileName(old)));
        }
    }

    private byte[] LoadSnapshot(RaftSnapshotId id)
    {
        var path = Path.Combine(_snapshotDirectory, FileName(id));
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 4 || Crc32C.Compute(bytes.AsSpan(0, bytes.Length - 4)) != BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(bytes.Length - 4)))
        {
            throw new InvalidDataException($"snapshot {path} fails its checksum");
        }

        return bytes[..^4];
    }

    private RaftSnapshotId? FindLatestSnapshot()
    {
        RaftSnapshotId? latest = null;
        foreach (var path in Directory.EnumerateFiles(_snapshotDirectory, "*" + SnapshotSuffix))
        {
            var parts = Path.GetFileNameWithoutExtension(path).Split('-');
            if (parts.Length == 2
                && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var end)
                && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var epoch)
                && (latest is null || end > latest.Value.EndOffset))
            {
                latest = new RaftSnapshotId(end, epoch);
            }
        }

        return latest;
    }
}
