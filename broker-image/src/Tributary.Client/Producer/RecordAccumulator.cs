using Tributary.Protocol.Records;

namespace Tributary.Client.Producer;

/// <summary>
/// Collects records into per-partition batches and decides which batches are ready to send
/// (full, lingered long enough, flushing) within the in-flight limit. Pure state under one lock;
/// the producer's sender loop does the I/O.
/// </summary>
/// <remarks>
/// Ordering with retries: when a batch fails retriably its partition stops sending until all its
/// in-flight batches are back, then the failed ones go out again lowest sequence first, so an
/// idempotent producer's sequences reach the broker in order.
/// </remarks>
internal sealed class RecordAccumulator
{
    private readonly Lock _gate = new();
    private readonly ProducerOptions _options;
    private readonly TimeProvider _time;
    private readonly Dictionary<TopicPartition, PartitionQueue> _queues = [];
    private readonly HashSet<ProducerBatch> _incomplete = [];
    private int _flushing;

    public RecordAccumulator(ProducerOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
    }

    /// <summary>Producer id and epoch stamped into new batches (-1 without idempotence).</summary>
    public (long Id, short Epoch) ProducerIdentity { get; set; } = (-1, -1);

    public bool Closing { get; set; }

    /// <summary>Appends a record; returns its delivery task and whether a batch became full.</summary>
    public Task<DeliveryResult> Append(TopicPartition partition, ProducerRecord record, long timestamp, out bool batchFull)
    {
        lock (_gate)
        {
            if (!_queues.TryGetValue(partition, out var queue))
            {
                queue = new PartitionQueue();
                _queues[partition] = queue;
            }

            var estimate = (record.Key?.Length ?? 0) + (record.Value?.Length ?? 0) + 16;
            if (queue.Open is { } open && open.RecordCount > 0 && open.Size + estimate > _options.BatchSize)
            {
                SealOpen(queue);
            }

            queue.Open ??= NewBatch(partition, queue);
            var delivery = queue.Open.Append(record, timestamp);
            batchFull = queue.Open.Size >= _options.BatchSize;
            if (batchFull)
            {
                SealOpen(queue);
            }

            return delivery;
        }
    }

    private ProducerBatch NewBatch(TopicPartition partition, PartitionQueue queue)
    {
        var identity = ProducerIdentity;
        var builder = new RecordBatchBuilder
        {
            Compression = _options.Compression,
            ProducerId = identity.Id,
            ProducerEpoch = identity.Epoch,
            BaseSequence = identity.Id >= 0 ? queue.NextSequence : -1,
        };
        var now = _time.GetUtcNow();
        var batch = new ProducerBatch(partition, builder, now, now + _options.DeliveryTimeout);
        _incomplete.Add(batch);
        return batch;
    }

    private void SealOpen(PartitionQueue queue)
    {
        var open = queue.Open!;
        open.Seal();
        if (open.BaseSequence >= 0)
        {
            queue.NextSequence = unchecked(queue.NextSequence + open.RecordCount) & int.MaxValue;
        }

        queue.Ready.Add(open);
        queue.Open = null;
    }

    /// <summary>
    /// Seals open batches that are due and takes the batches that may be sent now (at most one per
    /// partition per call, within the in-flight limit). Also returns the time until the next open
    /// batch is due, for the sender's wait.
    /// </summary>
    public List<ProducerBatch> Drain(out TimeSpan nextDue)
    {
        var now = _time.GetUtcNow();
        var result = new List<ProducerBatch>();
        nextDue = TimeSpan.FromMilliseconds(100);
        lock (_gate)
        {
            var flushing = _flushing > 0 || Closing;
            foreach (var queue in _queues.Values)
            {
                if (queue.Open is { } open)
                {
                    var due = open.CreatedAt + _options.Linger;
                    if (flushing || due <= now)
                    {
                        SealOpen(queue);
                    }
                    else if (due - now < nextDue)
                    {
                        nextDue = due - now;
                    }
                }

                if (queue.Draining && queue.InFlight == 0)
                {
                    queue.Draining = false;
                }

                if (!queue.Draining && queue.Ready.Count > 0 && queue.InFlight < _options.MaxInFlight)
                {
                    var batch = queue.Ready[0];
                    if (batch.RetryAt > now)
                    {
                        nextDue = batch.RetryAt - now < nextDue ? batch.RetryAt - now : nextDue;
                        continue;
                    }

                    queue.Ready.RemoveAt(0);
                    queue.InFlightBatches.Add(batch);
                    batch.Attempts++;
                    result.Add(batch);
                }
            }
        }

        return result;
    }

    /// <summary>True when some partition still has a sealed batch it could send right away.</summary>
    public bool HasSendable()
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            return _queues.Values.Any(q => !q.Draining && q.Ready.Count > 0 && q.InFlight < _options.MaxInFlight && q.Ready[0].RetryAt <= now);
        }
    }

    /// <summary>A batch drained but not sent (its leader is unknown): back to the head of its queue.</summary>
    public void Unsend(ProducerBatch batch)
    {
        lock (_gate)
        {
            var queue = _queues[batch.Partition];
            queue.InFlightBatches.Remove(batch);
            batch.Attempts--;
            queue.Requeue(batch);
        }
    }

    public void Succeeded(ProducerBatch batch, long baseOffset, long logAppendTime)
    {
        lock (_gate)
        {
            _queues[batch.Partition].InFlightBatches.Remove(batch);
            _incomplete.Remove(batch);
        }

        batch.Complete(baseOffset, logAppendTime);
    }

    public void Failed(ProducerBatch batch, Exception error)
    {
        lock (_gate)
        {
            _queues[batch.Partition].InFlightBatches.Remove(batch);
            _incomplete.Remove(batch);
        }

        batch.Fail(error);
    }

    /// <summary>Puts a batch back for another attempt, holding its partition until in-flight batches return.</summary>
    public void Retry(ProducerBatch batch, TimeSpan backoff)
    {
        batch.RetryAt = _time.GetUtcNow() + backoff;
        lock (_gate)
        {
            var queue = _queues[batch.Partition];
            queue.InFlightBatches.Remove(batch);
            queue.Draining = queue.InFlight > 0;
            queue.Requeue(batch);
        }
    }

    /// <summary>
    /// True when a lower-sequence batch of the same partition is not yet acknowledged, waiting to
    /// be resent or still in flight, so an out-of-order error for this one is expected and it is
    /// retried (Kafka's producer retries it unless it is the next sequence after the last acked).
    /// In flight counts because answers to pipelined requests may be handled out of order: the
    /// out-of-order error of batch n+1 can be seen before the retriable error of batch n.
    /// </summary>
    public bool HasEarlierPending(ProducerBatch batch)
    {
        lock (_gate)
        {
            var queue = _queues[batch.Partition];
            return queue.Ready.Any(b => b.BaseSequence >= 0 && b.BaseSequence < batch.BaseSequence) ||
                queue.InFlightBatches.Any(b => !ReferenceEquals(b, batch) && b.BaseSequence >= 0 && b.BaseSequence < batch.BaseSequence);
        }
    }

    /// <summary>Fails waiting batches whose delivery timeout passed.</summary>
    public void ExpireWaiting()
    {
        var now = _time.GetUtcNow();
        var expired = new List<ProducerBatch>();
        lock (_gate)
        {
            foreach (var queue in _queues.Values)
            {
                expired.AddRange(queue.Ready.Where(b => b.Deadline <= now));
                queue.Ready.RemoveAll(b => b.Deadline <= now);
            }

            foreach (var batch in expired)
            {
                _incomplete.Remove(batch);
            }
        }

        foreach (var batch in expired)
        {
            batch.Fail(new KafkaException(Protocol.ErrorCode.RequestTimedOut,
                $"{batch.RecordCount} record(s) for {batch.Partition} expired after {_options.DeliveryTimeout.TotalMilliseconds:0} ms without an acknowledgement"));
        }
    }

    /// <summary>Starts a flush: lingering stops until every batch that exists now has completed.</summary>
    public Task BeginFlush()
    {
        Task all;
        lock (_gate)
        {
            _flushing++;
            all = Task.WhenAll(_incomplete.Select(b => b.Done.Task).ToList());
        }

        return EndFlushAfter(all);
    }

    private async Task EndFlushAfter(Task all)
    {
        try
        {
            await all.ConfigureAwait(false);
        }
        finally
        {
            lock (_gate)
            {
                _flushing--;
            }
        }
    }

    /// <summary>True when no batch is open, waiting or in flight.</summary>
    public bool IsEmpty
    {
        get
        {
            lock (_gate)
            {
                return _incomplete.Count == 0;
            }
        }
    }

    /// <summary>Fails everything still queued (used when the producer is disposed without flushing).</summary>
    public void FailAll(Exception error)
    {
        List<ProducerBatch> all;
        lock (_gate)
        {
            all = _incomplete.ToList();
            _incomplete.Clear();
            foreach (var queue in _queues.Values)
            {
                queue.Ready.Clear();
                queue.Open = null;
            }
        }

        foreach (var batch in all)
        {
            batch.Fail(error);
        }
    }
}
