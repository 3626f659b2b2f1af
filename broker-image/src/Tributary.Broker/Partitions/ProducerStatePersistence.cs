using Tributary.Broker.Producers;
using Tributary.Storage;

namespace Tributary.Broker.Partitions;

/// <summary>
/// Keeps idempotent producer state across restarts with Storage's snapshot files
/// (<c>&lt;offset&gt;.snapshot</c>) and header replay (<see cref="ProducerStateMap"/>), while the
/// sequence and epoch rules stay in <see cref="PartitionProducerState"/>. This class converts
/// between the two representations of the same data.
/// </summary>
internal static class ProducerStatePersistence
{
    /// <summary>Snapshots kept per partition: the newest, plus one in case the newest is damaged.</summary>
    private const int SnapshotsKept = 2;

    /// <summary>Loads the newest valid snapshot and replays the batch headers after it.</summary>
    public static PartitionProducerState Load(PartitionLog log)
    {
        var map = ProducerStateMap.Load(log);
        var state = new PartitionProducerState();
        foreach (var stored in map.Producers.Values)
        {
            var entry = new Producers.ProducerStateEntry(stored.ProducerId, stored.ProducerEpoch);
            foreach (var b in stored.Batches)
            {
                entry.AddBatch(new BatchMetadata(b.FirstSequence, b.LastSequence, b.LastOffset - b.OffsetDelta, b.LastOffset, b.Timestamp));
            }

            entry.Touch(stored.LastTimestamp);
            state.Restore(entry);
        }

        return state;
    }

    public static List<Storage.ProducerStateEntry> ToStorage(PartitionProducerState state)
    {
        var entries = new List<Storage.ProducerStateEntry>(state.Count);
        foreach (var entry in state.Entries)
        {
            var stored = new Storage.ProducerStateEntry(entry.ProducerId, entry.Epoch);
            foreach (var b in entry.Batches)
            {
                stored.AddBatch(new ProducerBatchMetadata(b.FirstSequence, b.LastSequence, b.LastOffset, checked((int)(b.LastOffset - b.FirstOffset)), b.Timestamp));
            }

            stored.LastTimestamp = entry.LastTimestamp;
            entries.Add(stored);
        }

        return entries;
    }

    /// <summary>Writes the snapshot at <paramref name="offset"/> and prunes older ones.</summary>
    public static void Write(string directory, long offset, IEnumerable<Storage.ProducerStateEntry> entries, long logStartOffset)
    {
        Storage.ProducerStateSnapshot.Write(directory, offset, entries);
        var offsets = Storage.ProducerStateSnapshot.List(directory);
        if (offsets.Count > SnapshotsKept)
        {
            Storage.ProducerStateSnapshot.DeleteBelow(directory, offsets[^SnapshotsKept]);
        }

        Storage.ProducerStateSnapshot.DeleteBelow(directory, logStartOffset);
    }
}
