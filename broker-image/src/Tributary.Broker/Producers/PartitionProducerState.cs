using Tributary.Protocol.Primitives;
using Tributary.Protocol.Records;
using Tributary.Storage;

namespace Tributary.Broker.Producers;

/// <summary>
/// Idempotent-producer state of one partition: per producer id, the latest epoch and its last
/// five batches. The produce path calls <see cref="CheckAndRecord"/> before appending a batch
/// and <see cref="Commit"/> once the append assigned offsets; recovery and followers rebuild the
/// state with <see cref="Replay(BatchInfo)"/> over the batch headers in the log.
/// </summary>
/// <remarks>
/// Not thread-safe: the host runs check, append and commit for a partition under that
/// partition's append lock, so two in-flight batches of one producer cannot both pass the check.
/// </remarks>
public sealed class PartitionProducerState
{
    private readonly Dictionary<long, ProducerStateEntry> _producers = [];

    public int Count => _producers.Count;

    public IEnumerable<ProducerStateEntry> Entries => _producers.Values;

    public ProducerStateEntry? Get(long producerId) => _producers.GetValueOrDefault(producerId);

    /// <summary>
    /// Decides what to do with an incoming batch from a client (Kafka 2.5+ rules). Changes nothing;
    /// call <see cref="Commit"/> after a successful append.
    /// </summary>
    /// <remarks>
    /// An unknown producer id is accepted at any sequence (its state may have been removed by
    /// retention or expiry; UNKNOWN_PRODUCER_ID is no longer returned). A known producer with a
    /// newer epoch must start at sequence 0. An older epoch is a fenced producer.
    /// </remarks>
    public SequenceCheckResult CheckAndRecord(long producerId, short epoch, int baseSequence, int lastOffsetDelta)
    {
        if (producerId == ProducerSequence.NoProducerId || !_producers.TryGetValue(producerId, out var entry))
        {
            return SequenceCheckResult.Append;
        }

        if (epoch < entry.Epoch)
        {
            return new SequenceCheckResult(SequenceCheckOutcome.InvalidProducerEpoch, -1, -1);
        }

        var lastSequence = ProducerSequence.Increment(baseSequence, lastOffsetDelta);
        if (epoch != entry.Epoch)
        {
            return baseSequence == 0
                ? SequenceCheckResult.Append
                : new SequenceCheckResult(SequenceCheckOutcome.OutOfOrderSequence, -1, -1);
        }

        if (entry.FindBatch(baseSequence, lastSequence) is { } duplicate)
        {
            return new SequenceCheckResult(SequenceCheckOutcome.Duplicate, duplicate.FirstOffset, duplicate.LastOffset);
        }

        return ProducerSequence.InSequence(entry.LastSequence, baseSequence)
            ? SequenceCheckResult.Append
            : new SequenceCheckResult(SequenceCheckOutcome.OutOfOrderSequence, -1, -1);
    }

    /// <summary>Records a batch that was appended at <paramref name="baseOffset"/>.</summary>
    public void Commit(long producerId, short epoch, int baseSequence, int lastOffsetDelta, long baseOffset, long timestamp)
    {
        if (producerId == ProducerSequence.NoProducerId || baseSequence < 0)
        {
            return;
        }

        if (!_producers.TryGetValue(producerId, out var entry))
        {
            entry = new ProducerStateEntry(producerId, epoch);
            _producers[producerId] = entry;
        }
        else if (epoch < entry.Epoch)
        {
            // Replicated or recovered data is authoritative; an older epoch cannot roll state back.
            return;
        }

        entry.UpdateEpoch(epoch);
        entry.AddBatch(new BatchMetadata(baseSequence, ProducerSequence.Increment(baseSequence, lastOffsetDelta),
            baseOffset, baseOffset + lastOffsetDelta, timestamp));
    }

    /// <summary>Rebuilds state from one batch header of the log (recovery, follower fetch).</summary>
    public void Replay(BatchInfo batch)
    {
        if (batch.ProducerId == ProducerSequence.NoProducerId)
        {
            return;
        }

        if (batch.IsControl)
        {
            // Transaction markers carry no sequence but do move the producer to their epoch.
            if (_producers.TryGetValue(batch.ProducerId, out var entry))
            {
                if (batch.ProducerEpoch > entry.Epoch)
                {
                    entry.UpdateEpoch(batch.ProducerEpoch);
                }

                entry.Touch(batch.MaxTimestamp);
            }

            return;
        }

        Commit(batch.ProducerId, batch.ProducerEpoch, batch.BaseSequence, batch.LastOffsetDelta, batch.BaseOffset, batch.MaxTimestamp);
    }

    /// <summary>Rebuilds state from a raw batch header (at least the 61 header bytes).</summary>
    /// <exception cref="ProtocolException">Fewer bytes than a batch header.</exception>
    public void Replay(ReadOnlySpan<byte> batchHeader)
    {
        if (batchHeader.Length < RecordBatchHeader.Size)
        {
            throw ProtocolException.Truncated(RecordBatchHeader.Size, batchHeader.Length);
        }

        Replay(BatchInfo.Parse(batchHeader, 0));
    }

    /// <summary>Forgets producers idle for producer.id.expiration.ms (by their latest batch timestamp).</summary>
    public int RemoveExpired(long nowMs, long expirationMs)
    {
        var removed = 0;
        foreach (var entry in _producers.Values.ToList())
        {
            if (nowMs - entry.LastTimestamp >= expirationMs)
            {
                _producers.Remove(entry.ProducerId);
                removed++;
            }
        }

        return removed;
    }

    /// <summary>Drops everything (before rebuilding after a truncation).</summary>
    public void Clear() => _producers.Clear();

    internal void Restore(ProducerStateEntry entry) => _producers[entry.ProducerId] = entry;
}
