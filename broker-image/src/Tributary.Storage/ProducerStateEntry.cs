namespace Tributary.Storage;

/// <summary>
/// Persisted state of one producer id: its epoch, the last <see cref="MaxBatches"/> batches
/// (sequence ranges and offsets), and its open transaction. The broker owns the dedupe and
/// sequence rules; this is the data it needs back after a restart.
/// </summary>
public sealed class ProducerStateEntry
{
    /// <summary>Kafka keeps the last five batches per producer (max.in.flight.requests.per.connection).</summary>
    public const int MaxBatches = 5;

    private readonly List<ProducerBatchMetadata> _batches = [];

    public ProducerStateEntry(long producerId, short producerEpoch)
    {
        ProducerId = producerId;
        ProducerEpoch = producerEpoch;
    }

    public long ProducerId { get; }

    public short ProducerEpoch { get; set; }

    /// <summary>Coordinator epoch of the last transaction marker, -1 when none.</summary>
    public int CoordinatorEpoch { get; set; } = -1;

    /// <summary>First offset of the open transaction, -1 when none.</summary>
    public long CurrentTxnFirstOffset { get; set; } = -1;

    public long LastTimestamp { get; set; } = -1;

    /// <summary>Oldest first.</summary>
    public IReadOnlyList<ProducerBatchMetadata> Batches => _batches;

    public void AddBatch(ProducerBatchMetadata batch)
    {
        if (_batches.Count == MaxBatches)
        {
            _batches.RemoveAt(0);
        }

        _batches.Add(batch);
        LastTimestamp = batch.Timestamp;
    }

    public void ClearBatches() => _batches.Clear();
}
