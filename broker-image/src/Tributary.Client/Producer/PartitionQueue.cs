namespace Tributary.Client.Producer;

/// <summary>One partition's batches: the open one, sealed ones waiting in sequence order, and how many are in flight.</summary>
internal sealed class PartitionQueue
{
    public ProducerBatch? Open { get; set; }

    /// <summary>Sealed batches not yet sent (or sent and requeued for retry), lowest sequence first.</summary>
    public List<ProducerBatch> Ready { get; } = [];

    /// <summary>Batches sent and not yet answered, in the order they were sent.</summary>
    public List<ProducerBatch> InFlightBatches { get; } = [];

    public int InFlight => InFlightBatches.Count;

    /// <summary>Sequence the next opened batch starts at (idempotent producers).</summary>
    public int NextSequence { get; set; }

    /// <summary>Set after a retriable failure: send nothing until every in-flight batch came back, then resend in order.</summary>
    public bool Draining { get; set; }

    public void Requeue(ProducerBatch batch)
    {
        var index = Ready.FindIndex(b => b.BaseSequence > batch.BaseSequence || b.BaseSequence < 0);
        if (batch.BaseSequence < 0)
        {
            index = 0;
        }

        Ready.Insert(index < 0 ? Ready.Count : index, batch);
    }
}
