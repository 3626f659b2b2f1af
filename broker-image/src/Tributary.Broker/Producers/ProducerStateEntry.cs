namespace Tributary.Broker.Producers;

/// <summary>
/// What one partition remembers about one producer id: its latest epoch and the metadata of its
/// last <see cref="MaxBatches"/> batches (Kafka clients keep at most 5 requests in flight, so a
/// retry always refers to one of these).
/// </summary>
public sealed class ProducerStateEntry
{
    public const int MaxBatches = 5;

    private readonly Queue<BatchMetadata> _batches = new(MaxBatches);

    internal ProducerStateEntry(long producerId, short epoch)
    {
        ProducerId = producerId;
        Epoch = epoch;
    }

    public long ProducerId { get; }

    public short Epoch { get; private set; }

    /// <summary>Timestamp of the latest batch (drives producer expiry).</summary>
    public long LastTimestamp { get; private set; } = -1;

    /// <summary>Oldest first.</summary>
    public IReadOnlyCollection<BatchMetadata> Batches => _batches;

    public bool IsEmpty => _batches.Count == 0;

    /// <summary>The last sequence appended, or -1 when no batch is known for this epoch.</summary>
    public int LastSequence => _batches.Count == 0 ? -1 : LastBatch.LastSequence;

    public long LastOffset => _batches.Count == 0 ? -1 : LastBatch.LastOffset;

    private BatchMetadata LastBatch
    {
        get
        {
            BatchMetadata last = default;
            foreach (var b in _batches)
            {
                last = b;
            }

            return last;
        }
    }

    /// <summary>The cached batch with exactly this sequence range, if any.</summary>
    public BatchMetadata? FindBatch(int firstSequence, int lastSequence)
    {
        foreach (var b in _batches)
        {
            if (b.FirstSequence == firstSequence && b.LastSequence == lastSequence)
            {
                return b;
            }
        }

        return null;
    }

    /// <summary>A new epoch forgets the previous epoch's batches (its sequences restart at 0).</summary>
    internal void UpdateEpoch(short epoch)
    {
        if (epoch != Epoch)
        {
            Epoch = epoch;
            _batches.Clear();
        }
    }

    internal void AddBatch(BatchMetadata batch)
    {
        if (_batches.Count == MaxBatches)
        {
            _batches.Dequeue();
        }

        _batches.Enqueue(batch);
        LastTimestamp = Math.Max(LastTimestamp, batch.Timestamp);
    }

    internal void Touch(long timestamp) => LastTimestamp = Math.Max(LastTimestamp, timestamp);
}
