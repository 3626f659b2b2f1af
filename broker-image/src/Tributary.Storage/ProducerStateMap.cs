using System.Buffers.Binary;

namespace Tributary.Storage;

/// <summary>
/// Idempotent/transactional producer state of one partition: per producer its epoch, last
/// batches and open transaction, plus the set of open transactions (for the last stable
/// offset). A <see cref="PartitionLog"/> keeps one up to date on every append (headers only;
/// control batches are read for their marker type) and snapshots it at segment rolls, so it
/// survives restarts. The broker applies its own sequence and epoch rules on top of it.
/// Not thread-safe: the log mutates it under its append lock.
/// </summary>
public sealed class ProducerStateMap
{
    private readonly Dictionary<long, ProducerStateEntry> _producers = [];
    private readonly SortedSet<(long FirstOffset, long ProducerId)> _ongoing = [];

    public IReadOnlyDictionary<long, ProducerStateEntry> Producers => _producers;

    /// <summary>The state covers the log below this offset.</summary>
    public long MapEndOffset { get; private set; }

    /// <summary>First offset of the oldest open transaction, or null: the last stable offset is min(this, high watermark).</summary>
    public long? FirstUnstableOffset => _ongoing.Count == 0 ? null : _ongoing.Min.FirstOffset;

    /// <summary>
    /// Loads the newest snapshot at or below the log end offset (deleting newer ones, which
    /// describe truncated data) and replays the batch headers after it.
    /// </summary>
    public static ProducerStateMap Load(PartitionLog log)
    {
        ArgumentNullException.ThrowIfNull(log);
        return Load(log, long.MaxValue, null);
    }

    /// <summary>
    /// Load using only snapshots at or below <paramref name="maxSnapshotOffset"/>, reporting each
    /// abort marker replayed (with its segment) to <paramref name="onAbort"/>.
    /// </summary>
    internal static ProducerStateMap Load(PartitionLog log, long maxSnapshotOffset, Action<LogSegment, AbortedTransaction>? onAbort)
    {
        var map = new ProducerStateMap { MapEndOffset = log.LogStartOffset };
        ProducerStateSnapshot.DeleteAbove(log.Directory, log.LogEndOffset);
        foreach (var offset in ProducerStateSnapshot.List(log.Directory).AsEnumerable().Reverse())
        {
            if (offset > maxSnapshotOffset)
            {
                continue;
            }

            try
            {
                foreach (var entry in ProducerStateSnapshot.Read(ProducerStateSnapshot.PathFor(log.Directory, offset)))
                {
                    map.Restore(entry);
                }

                map.MapEndOffset = offset;
                break;
            }
            catch (StorageException e) when (e.Error == StorageError.CorruptCheckpoint)
            {
                // A damaged snapshot is skipped; an older one (or a full replay) still gives the state.
                map._producers.Clear();
                map._ongoing.Clear();
            }
        }

        map.Replay(log, onAbort);
        return map;
    }

    /// <summary>Replays the headers of every batch from <see cref="MapEndOffset"/> to the log end.</summary>
    public void Replay(PartitionLog log)
    {
        ArgumentNullException.ThrowIfNull(log);
        Replay(log, null);
    }

    /// <summary>
    /// Applies one appended batch: a new epoch clears the remembered batches; a data batch adds
    /// its sequence range (and opens a transaction if transactional); a control batch (commit
    /// or abort marker, whose bytes <paramref name="controlBatch"/> must hold) closes the
    /// transaction. Returns the aborted transaction when the batch is an abort marker.
    /// </summary>
    public AbortedTransaction? Apply(BatchInfo batch, ReadOnlySpan<byte> controlBatch = default)
    {
        MapEndOffset = Math.Max(MapEndOffset, batch.NextOffset);
        if (batch.ProducerId < 0)
        {
            return null;
        }

        if (!_producers.TryGetValue(batch.ProducerId, out var entry))
        {
            entry = new ProducerStateEntry(batch.ProducerId, batch.ProducerEpoch);
            _producers[batch.ProducerId] = entry;
        }
        else if (batch.ProducerEpoch != entry.ProducerEpoch)
        {
            entry.ProducerEpoch = batch.ProducerEpoch;
            entry.ClearBatches();
        }

        if (batch.IsControl)
        {
            return EndTransaction(entry, batch, controlBatch);
        }

        if (batch.IsTransactional && entry.CurrentTxnFirstOffset < 0)
        {
            entry.CurrentTxnFirstOffset = batch.BaseOffset;
            _ongoing.Add((batch.BaseOffset, entry.ProducerId));
        }

        if (batch.BaseSequence >= 0)
        {
            entry.AddBatch(new ProducerBatchMetadata(batch.BaseSequence, IncrementSequence(batch.BaseSequence, batch.LastOffsetDelta), batch.LastOffset, batch.LastOffsetDelta, batch.MaxTimestamp));
        }
        else
        {
            entry.LastTimestamp = batch.MaxTimestamp;
        }

        return null;
    }

    /// <summary>Writes <c>&lt;MapEndOffset&gt;.snapshot</c> into <paramref name="directory"/>.</summary>
    public void TakeSnapshot(string directory) => ProducerStateSnapshot.Write(directory, MapEndOffset, _producers.Values);

    /// <summary>Sequences wrap from int.MaxValue to 0, as in Kafka.</summary>
    public static int IncrementSequence(int sequence, int increment) =>
        sequence > int.MaxValue - increment ? increment - (int.MaxValue - sequence) - 1 : sequence + increment;

    /// <summary>
    /// Reads a control batch's marker: the first record's key (version int16, type int16:
    /// 0 abort, 1 commit) and value (version int16, coordinatorEpoch int32). False when malformed.
    /// </summary>
    public static bool TryReadControlMarker(ReadOnlySpan<byte> controlBatch, out short type, out int coordinatorEpoch)
    {
        type = -1;
        coordinatorEpoch = -1;
        var info = controlBatch.Length >= Protocol.Records.RecordBatchHeader.Size ? BatchInfo.Parse(controlBatch, 0) : default;
        if (info.Size != controlBatch.Length || info.RecordCount < 1 || info.Compression != Protocol.Records.CompressionType.None)
        {
            return false;
        }

        try
        {
            var reader = RecordReader.ForBatch(controlBatch);
            if (!reader.TryRead(out var record) || record.KeyIsNull || record.Key.Length < 4)
            {
                return false;
            }

            type = BinaryPrimitives.ReadInt16BigEndian(record.Key[2..]);
            if (!record.ValueIsNull && record.Value.Length >= 6)
            {
                coordinatorEpoch = BinaryPrimitives.ReadInt32BigEndian(record.Value[2..]);
            }

            return true;
        }
        catch (StorageException)
        {
            return false;
        }
    }

    private void Replay(PartitionLog log, Action<LogSegment, AbortedTransaction>? onAbort)
    {
        var buffer = new byte[256];
        foreach (var (segment, batch) in log.Batches(MapEndOffset))
        {
            if (batch.BaseOffset < MapEndOffset)
            {
                continue;
            }

            var control = ReadOnlySpan<byte>.Empty;
            if (batch.IsControl && batch.ProducerId >= 0)
            {
                if (buffer.Length < batch.Size)
                {
                    buffer = new byte[batch.Size];
                }

                control = buffer.AsSpan(0, segment.Read(batch.Position, buffer.AsSpan(0, batch.Size)));
            }

            if (Apply(batch, control) is { } aborted)
            {
                onAbort?.Invoke(segment, aborted);
            }
        }
    }

    private AbortedTransaction? EndTransaction(ProducerStateEntry entry, BatchInfo batch, ReadOnlySpan<byte> controlBatch)
    {
        entry.LastTimestamp = batch.MaxTimestamp;
        var isAbort = TryReadControlMarker(controlBatch, out var type, out var coordinatorEpoch) && type == 0;
        if (coordinatorEpoch >= 0)
        {
            entry.CoordinatorEpoch = coordinatorEpoch;
        }

        var first = entry.CurrentTxnFirstOffset;
        if (first < 0)
        {
            return null;
        }

        entry.CurrentTxnFirstOffset = -1;
        _ongoing.Remove((first, entry.ProducerId));
        return isAbort ? new AbortedTransaction(entry.ProducerId, first, batch.LastOffset, FirstUnstableOffset ?? batch.NextOffset) : null;
    }

    private void Restore(ProducerStateEntry entry)
    {
        _producers[entry.ProducerId] = entry;
        if (entry.CurrentTxnFirstOffset >= 0)
        {
            _ongoing.Add((entry.CurrentTxnFirstOffset, entry.ProducerId));
        }
    }
}
