using Tributary.Protocol.Records;

namespace Tributary.Client.Producer;

/// <summary>
/// Records for one partition that travel in one record batch. Open while records are appended to
/// its builder; sealed into bytes (with its producer id, epoch and base sequence) before sending.
/// </summary>
internal sealed class ProducerBatch
{
    private readonly List<TaskCompletionSource<DeliveryResult>> _deliveries = [];
    private readonly List<long> _timestamps = [];
    private RecordBatchBuilder? _builder;

    public ProducerBatch(TopicPartition partition, RecordBatchBuilder builder, DateTimeOffset createdAt, DateTimeOffset deadline)
    {
        Partition = partition;
        _builder = builder;
        CreatedAt = createdAt;
        Deadline = deadline;
        BaseSequence = builder.BaseSequence;
    }

    public TopicPartition Partition { get; }

    public DateTimeOffset CreatedAt { get; }

    public DateTimeOffset Deadline { get; }

    public int BaseSequence { get; }

    public int RecordCount => _timestamps.Count;

    /// <summary>Uncompressed record bytes so far.</summary>
    public int Size => _builder?.RecordsSize ?? Payload.Length;

    /// <summary>The finished batch, once sealed.</summary>
    public byte[] Payload { get; private set; } = [];

    public bool IsSealed => _builder is null;

    /// <summary>A retried batch waits until then (retry backoff).</summary>
    public DateTimeOffset RetryAt { get; set; }

    /// <summary>Times the batch was sent.</summary>
    public int Attempts { get; set; }

    /// <summary>Completes when every record of the batch succeeded or failed.</summary>
    public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<DeliveryResult> Append(ProducerRecord record, long timestamp)
    {
        var builder = _builder ?? throw new InvalidOperationException("the batch is sealed");
        builder.Append(timestamp, record.Key, record.Value, record.Headers is RecordHeaderData[] array ? array : [.. record.Headers]);
        var delivery = new TaskCompletionSource<DeliveryResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        _deliveries.Add(delivery);
        _timestamps.Add(timestamp);
        return delivery.Task;
    }

    public void Seal()
    {
        if (_builder is null)
        {
            return;
        }

        Payload = _builder.ToArray();
        _builder.Dispose();
        _builder = null;
    }

    public void Complete(long baseOffset, long logAppendTime)
    {
        for (var i = 0; i < _deliveries.Count; i++)
        {
            _deliveries[i].TrySetResult(new DeliveryResult(Partition, baseOffset < 0 ? -1 : baseOffset + i, logAppendTime >= 0 ? logAppendTime : _timestamps[i]));
        }

        Done.TrySetResult();
    }

    public void Fail(Exception error)
    {
        foreach (var delivery in _deliveries)
        {
            delivery.TrySetException(error);
        }

        _builder?.Dispose();
        _builder = null;
        Done.TrySetResult();
    }
}
