using System.Buffers.Binary;

namespace Tributary.Storage;

/// <summary>
/// Idempotent/transactional producer state of one partition, rebuilt from the latest snapshot
/// plus a replay of batch headers after it. Storage only persists and replays; the broker
/// applies its sequence and epoch rules on top (it calls <see cref="Apply"/> as it appends, or
/// keeps its own map and uses this for load/save).
/// </summary>
public sealed class ProducerStateMap
{
    private readonly Dictionary<long, ProducerStateEntry> _producers = [];

    public IReadOnlyDictionary<long, ProducerStateEntry> Producers => _producers;

    /// <summary>The state covers the log below this offset.</summary>
    public long MapEndOffset { get; private set; }

    /// <summary>
    /// Loads the newest snapshot at or below the log end offset (deleting newer ones, which
    /// describe truncated data) and replays the batch headers after it.
    /// </summary>
    public static ProducerStateMap Load(PartitionLog log)
    {
        ArgumentNullException.ThrowIfNull(log);
        var map = new ProducerStateMap { MapEndOffset = log.LogStartOffset };
        ProducerStateSnapshot.DeleteAbove(log.Directory, log.LogEndOffset);
        foreach (var offset in ProducerStateSnapshot.List(log.Directory).AsEnumerable().Reverse())
        {
            try
            {
                foreach (var entry in ProducerStateSnapshot.Read(ProducerStateSnapshot.PathFor(log.Directory, offset)))
                {
                    map._producers[entry.ProducerId] = entry;
                }

                map.MapEndOffset = Math.Max(offset, log.LogStartOffset);
                break;
            }
            catch (StorageException e) when (e.Error == StorageError.CorruptCheckpoint)
            {
                // A damaged snapshot is skipped; an older one (or a full replay) still gives the state.
                map._producers.Clear();
            }
        }

        map.Replay(log);
        return map;
    }

    /// <summary>Replays the headers of every batch from <see cref="MapEndOffset"/> to the log end.</summary>
    public void Replay(PartitionLog log)
    {
        ArgumentNullException.ThrowIfNull(log);
        Span<byte> control = stackalloc byte[256];
        foreach (var (segment, batch) in log.Batches(MapEndOffset))
        {
            if (batch.BaseOffset < MapEndOffset)
            {
                continue;
            }

            var coordinatorEpoch = -1;
            if (batch.IsControl && batch.ProducerId >= 0)
            {
                var length = Math.Min(batch.Size, control.Length);
                var read = segment.Read(batch.Position, control[..length]);
                coordinatorEpoch = ControlCoordinatorEpoch(control[..read], batch);
            }

            Apply(batch, coordinatorEpoch);
        }
    }

    /// <summary>
    /// Applies one appended batch: a new epoch clears the remembered batches; a data batch adds
    /// its sequence range (and opens a transaction if transactional); a control batch (commit
    /// or abort marker) closes the transaction.
    /// </summary>
    public void Apply(BatchInfo batch, int coordinatorEpoch = -1)
    {
        MapEndOffset = Math.Max(MapEndOffset, batch.NextOffset);
        if (batch.ProducerId < 0)
        {
            return;
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
            entry.CurrentTxnFirstOffset = -1;
            if (coordinatorEpoch >= 0)
            {
                entry.CoordinatorEpoch = coordinatorEpoch;
            }

            entry.LastTimestamp = batch.MaxTimestamp;
            return;
        }

        if (batch.IsTransactional && entry.CurrentTxnFirstOffset < 0)
        {
            entry.CurrentTxnFirstOffset = batch.BaseOffset;
        }

        if (batch.BaseSequence >= 0)
        {
            entry.AddBatch(new ProducerBatchMetadata(batch.BaseSequence, IncrementSequence(batch.BaseSequence, batch.LastOffsetDelta), batch.LastOffset, batch.LastOffsetDelta, batch.MaxTimestamp));
        }
        else
        {
            entry.LastTimestamp = batch.MaxTimestamp;
        }
    }

    /// <summary>Writes <c>&lt;MapEndOffset&gt;.snapshot</c> into the log's directory.</summary>
    public void TakeSnapshot(string directory) => ProducerStateSnapshot.Write(directory, MapEndOffset, _producers.Values);

    /// <summary>Sequences wrap from int.MaxValue to 0, as in Kafka.</summary>
    public static int IncrementSequence(int sequence, int increment) =>
        sequence > int.MaxValue - increment ? increment - (int.MaxValue - sequence) - 1 : sequence + increment;

    /// <summary>
    /// The coordinator epoch from a control batch's first record (value: version int16,
    /// coordinatorEpoch int32), or -1 when it cannot be read from <paramref name="prefix"/>.
    /// </summary>
    private static int ControlCoordinatorEpoch(ReadOnlySpan<byte> prefix, BatchInfo batch)
    {
        if (prefix.Length < batch.Size || batch.RecordCount < 1)
        {
            return -1;
        }

        try
        {
            var reader = RecordReader.ForBatch(prefix);
            if (reader.TryRead(out var record) && !record.ValueIsNull && record.Value.Length >= 6)
            {
                return BinaryPrimitives.ReadInt32BigEndian(record.Value[2..]);
            }
        }
        catch (StorageException)
        {
            // A malformed marker keeps the previous coordinator epoch.
        }

        return -1;
    }
}
