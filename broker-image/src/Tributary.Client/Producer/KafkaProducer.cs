using Tributary.Client.Cluster;
using Tributary.Client.Network;
using Tributary.Protocol;
using Tributary.Protocol.Messages;

namespace Tributary.Client.Producer;

/// <summary>
/// Sends records in per-partition batches. <see cref="ProduceAsync"/> appends the record in call
/// order and returns a task that completes with its partition and offset once the broker
/// acknowledges it; a background sender ships batches when full, after the linger time, or on
/// <see cref="FlushAsync"/>. With idempotence the producer gets a producer id and numbers each
/// partition's batches, so retries neither duplicate nor reorder records.
/// </summary>
public sealed class KafkaProducer : IAsyncDisposable
{
    private readonly ProducerOptions _options;
    private readonly ClusterClient _cluster;
    private readonly IPartitioner _partitioner;
    private readonly RecordAccumulator _accumulator;
    private readonly TimeProvider _time;
    private readonly AsyncSignal _wake = new();
    private readonly SemaphoreSlim _appendLock = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _sendsGate = new();
    private readonly HashSet<Task> _sends = [];
    private readonly Task _sender;
    private int _disposed;

    public KafkaProducer(ProducerOptions options, IKafkaConnectionFactory? connectionFactory = null, IPartitioner? partitioner = null,
        TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        _cluster = new ClusterClient(options, connectionFactory, _time);
        _partitioner = partitioner ?? new DefaultPartitioner(options.NullKeyPartitioning, options.BatchSize);
        _accumulator = new RecordAccumulator(options, _time);
        _sender = Task.Run(SendLoopAsync);
    }

    /// <summary>The producer id and epoch (idempotence), or (-1, -1).</summary>
    public (long Id, short Epoch) ProducerIdentity => _accumulator.ProducerIdentity;

    /// <summary>The routing layer, for callers that want metadata (partition counts) too.</summary>
    public ClusterClient Cluster => _cluster;

    /// <summary>
    /// Queues a record. The returned task completes when the record is acknowledged (or fails with
    /// <see cref="KafkaException"/>); records of one partition are appended in call order.
    /// </summary>
    public Task<DeliveryResult> ProduceAsync(ProducerRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (_appendLock.Wait(0))
        {
            try
            {
                if (TryAppendNow(record, out var delivery))
                {
                    return delivery;
                }
            }
            finally
            {
                _appendLock.Release();
            }
        }

        return AppendSlowAsync(record, cancellationToken);
    }

    /// <summary>Sends and awaits a record with a key and value, a shorthand for <see cref="ProduceAsync"/>.</summary>
    public Task<DeliveryResult> ProduceAsync(string topic, byte[]? key, byte[]? value, CancellationToken cancellationToken = default) =>
        ProduceAsync(new ProducerRecord(topic, key, value), cancellationToken);

    /// <summary>Appends without waiting when the producer id and the topic's metadata are known.</summary>
    private bool TryAppendNow(ProducerRecord record, out Task<DeliveryResult> delivery)
    {
        delivery = null!;
        if (_options.EnableIdempotence && _accumulator.ProducerIdentity.Id < 0)
        {
            return false;
        }

        int partition;
        if (record.Partition >= 0)
        {
            partition = record.Partition;
        }
        else if (_cluster.Metadata.Topics.TryGetValue(record.Topic, out var topic) && topic.Error == ErrorCode.None && topic.Partitions.Count > 0)
        {
            partition = Choose(record, topic);
        }
        else
        {
            return false;
        }

        delivery = Append(record, partition);
        return true;
    }

    private async Task<DeliveryResult> AppendSlowAsync(ProducerRecord record, CancellationToken cancellationToken)
    {
        Task<DeliveryResult> delivery;
        await _appendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_options.EnableIdempotence && _accumulator.ProducerIdentity.Id < 0)
            {
                _accumulator.ProducerIdentity = await InitProducerIdAsync(cancellationToken).ConfigureAwait(false);
            }

            var partition = record.Partition;
            if (partition < 0)
            {
                var topic = await _cluster.RetryAsync(ct => _cluster.GetTopicAsync(record.Topic, _options.AllowAutoCreateTopics, ct), cancellationToken)
                    .ConfigureAwait(false);
                if (topic.Partitions.Count == 0)
                {
                    throw new KafkaException(ErrorCode.UnknownTopicOrPartition, $"topic {record.Topic} has no partitions");
                }

                partition = Choose(record, topic);
            }

            delivery = Append(record, partition);
        }
        finally
        {
            _appendLock.Release();
        }

        return await delivery.ConfigureAwait(false);
    }

    private int Choose(ProducerRecord record, TopicMetadata topic)
    {
        var available = topic.Partitions.Where(p => p.Leader >= 0).Select(p => p.Partition).ToList();
        var size = (record.Key?.Length ?? 0) + (record.Value?.Length ?? 0);
        return _partitioner.Partition(record.Topic, record.Key, topic.Partitions.Count, available, size);
    }

    private Task<DeliveryResult> Append(ProducerRecord record, int partition)
    {
        var timestamp = record.Timestamp ?? _time.GetUtcNow().ToUnixTimeMilliseconds();
        var delivery = _accumulator.Append(new TopicPartition(record.Topic, partition), record, timestamp, out var full);
        if (full || _options.Linger <= TimeSpan.Zero)
        {
            _wake.Set();
        }

        return delivery;
    }

    private Task<(long, short)> InitProducerIdAsync(CancellationToken cancellationToken) =>
        _cluster.RetryAsync(async ct =>
        {
            var connection = await _cluster.ConnectAnyAsync(ct).ConfigureAwait(false);
            var response = await _cluster.SendAsync<InitProducerIdResponse>(connection, ApiKey.InitProducerId, 0, 5, _ => new InitProducerIdRequest
            {
                TransactionalId = null,
                TransactionTimeoutMs = 60000,
            }, ct).ConfigureAwait(false);
            KafkaException.ThrowIfError(response.ErrorCode, null, "InitProducerId");
            return (response.ProducerId, response.ProducerEpoch);
        }, cancellationToken);

    /// <summary>Sends every queued record now and waits until all of them are acknowledged or failed.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        var flushed = _accumulator.BeginFlush();
        _wake.Set();
        await flushed.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task SendLoopAsync()
    {
        while (true)
        {
            if (_accumulator.Closing && _accumulator.IsEmpty)
            {
                return;
            }

            _accumulator.ExpireWaiting();
            var batches = _accumulator.Drain(out var wait);
            if (batches.Count > 0 && !await DispatchAsync(batches).ConfigureAwait(false))
            {
                wait = _options.RetryBackoff;
            }
            else if (batches.Count > 0 && _accumulator.HasSendable())
            {
                continue;
            }

            try
            {
                await _wake.WaitAsync(wait, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Groups drained batches by leader and starts one Produce per broker; false if some had no leader.</summary>
    private async Task<bool> DispatchAsync(List<ProducerBatch> batches)
    {
        ClusterMetadata metadata;
        try
        {
            var topics = batches.Select(b => b.Partition.Topic).Distinct(StringComparer.Ordinal).ToList();
            metadata = await _cluster.GetMetadataAsync(topics, _options.AllowAutoCreateTopics, _stop.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is KafkaException or OperationCanceledException)
        {
            metadata = _cluster.Metadata;
        }

        var allRouted = true;
        foreach (var group in batches.GroupBy(b => metadata.LeaderOf(b.Partition)))
        {
            if (group.Key < 0)
            {
                allRouted = false;
                _cluster.InvalidateMetadata();
                foreach (var batch in group)
                {
                    _accumulator.Unsend(batch);
                }

                continue;
            }

            var send = SendAsync(group.Key, group.ToList());
            lock (_sendsGate)
            {
                _sends.Add(send);
            }

            _ = send.ContinueWith(t =>
            {
                lock (_sendsGate)
                {
                    _sends.Remove(t);
                }
            }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        return allRouted;
    }

    private async Task SendAsync(int nodeId, List<ProducerBatch> batches)
    {
        try
        {
            var connection = await _cluster.ConnectNodeAsync(nodeId, _stop.Token).ConfigureAwait(false);
            var version = _cluster.SelectVersion(connection, ApiKey.Produce, 3, 11);
            var request = BuildRequest(batches);
            if (_options.Acks == Acks.None)
            {
                await connection.SendWithoutResponseAsync(request, version, _stop.Token).ConfigureAwait(false);
                foreach (var batch in batches)
                {
                    _accumulator.Succeeded(batch, -1, -1);
                }

                return;
            }

            var response = (ProduceResponse)await connection.SendAsync(request, version, _options.RequestTimeout, _stop.Token).ConfigureAwait(false);
            var answers = response.Responses
                .SelectMany(t => t.PartitionResponses.Select(p => (Key: new TopicPartition(t.Name, p.Index), Value: p)))
                .ToDictionary(x => x.Key, x => x.Value);
            foreach (var batch in batches)
            {
                if (!answers.TryGetValue(batch.Partition, out var answer))
                {
                    Complete(batch, ErrorCode.UnknownServerError, $"the Produce response has no result for {batch.Partition}", -1, -1);
                    continue;
                }

                Complete(batch, (ErrorCode)answer.ErrorCode, answer.ErrorMessage, answer.BaseOffset, answer.LogAppendTimeMs);
            }
        }
        catch (KafkaException ex)
        {
            foreach (var batch in batches)
            {
                Complete(batch, ex.ErrorCode, ex.Message, -1, -1);
            }
        }
        catch (OperationCanceledException)
        {
            foreach (var batch in batches)
            {
                _accumulator.Failed(batch, new KafkaException(ErrorCode.NetworkException, "the producer was closed before the batch was acknowledged"));
            }
        }
        finally
        {
            _wake.Set();
        }
    }

    private ProduceRequest BuildRequest(List<ProducerBatch> batches) => new()
    {
        Acks = (short)_options.Acks,
        TimeoutMs = (int)Math.Min(int.MaxValue, _options.RequestTimeout.TotalMilliseconds),
        TransactionalId = null,
        TopicData = batches.GroupBy(b => b.Partition.Topic, StringComparer.Ordinal).Select(g => new ProduceRequest.TopicProduceData
        {
            Name = g.Key,
            PartitionData = g.Select(b => new ProduceRequest.PartitionProduceData { Index = b.Partition.Partition, Records = b.Payload }).ToList(),
        }).ToList(),
    };

    /// <summary>Settles one batch: success, a retry (ordered, after backoff) or a failure.</summary>
    private void Complete(ProducerBatch batch, ErrorCode error, string? message, long baseOffset, long logAppendTime)
    {
        if (error == ErrorCode.None)
        {
            _accumulator.Succeeded(batch, baseOffset, logAppendTime);
            return;
        }

        if (error == ErrorCode.DuplicateSequenceNumber && _options.EnableIdempotence)
        {
            // An earlier attempt was written after all; its offsets are not reported again.
            _accumulator.Succeeded(batch, -1, -1);
            return;
        }

        var retriable = KafkaErrors.IsRetriable(error)
            || (error == ErrorCode.OutOfOrderSequenceNumber && _options.EnableIdempotence && _accumulator.HasEarlierPending(batch));
        if (retriable && _time.GetUtcNow() < batch.Deadline)
        {
            if (KafkaErrors.InvalidatesMetadata(error))
            {
                _cluster.InvalidateMetadata();
            }

            _accumulator.Retry(batch, _cluster.Backoff.Delay(Math.Max(0, batch.Attempts - 1)));
            return;
        }

        var text = string.IsNullOrEmpty(message) ? $"producing to {batch.Partition}: {error}" : $"producing to {batch.Partition}: {error}: {message}";
        _accumulator.Failed(batch, new KafkaException(error, text));
    }

    /// <summary>Flushes what is queued (waiting at most the delivery timeout), then closes connections.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _accumulator.Closing = true;
        _wake.Set();
        try
        {
            await _sender.WaitAsync(_options.DeliveryTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        Task[] sends;
        lock (_sendsGate)
        {
            sends = _sends.ToArray();
        }

        await Task.WhenAll(sends).ConfigureAwait(false);
        await _sender.ConfigureAwait(false);
        _accumulator.FailAll(new KafkaException(ErrorCode.NetworkException, "the producer was closed before the record was sent"));
        await _cluster.DisposeAsync().ConfigureAwait(false);
        _appendLock.Dispose();
        _stop.Dispose();
    }
}
