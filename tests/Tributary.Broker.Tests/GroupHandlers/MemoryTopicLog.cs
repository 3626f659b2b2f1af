using System.Buffers.Binary;
using Tributary.Broker.Partitions;
using Tributary.Protocol;
using Tributary.Protocol.Records;

namespace Tributary.Broker.Tests.GroupHandlers;

/// <summary>
/// An in-memory <see cref="IInternalTopicLog"/>: batches are kept per partition with offsets
/// assigned on append. Tests can fail appends, hold them until released, or hold reads.
/// </summary>
public sealed class MemoryTopicLog : IInternalTopicLog
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Topic, int Partition), List<byte[]>> _batches = [];
    private readonly Dictionary<(string Topic, int Partition), long> _nextOffset = [];
    private TaskCompletionSource? _appendGate;
    private int _appends;

    /// <summary>When not None, appends fail with this error and store nothing.</summary>
    public ErrorCode FailAppendsWith { get; set; }

    /// <summary>When set, ReadCommitted blocks until it is signalled (to observe a partition loading).</summary>
    public ManualResetEventSlim? ReadGate { get; set; }

    public int AppendCount => Volatile.Read(ref _appends);

    /// <summary>Makes later appends wait until <see cref="ReleaseAppends"/>.</summary>
    public void HoldAppends()
    {
        lock (_lock)
        {
            _appendGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public void ReleaseAppends()
    {
        TaskCompletionSource? gate;
        lock (_lock)
        {
            gate = _appendGate;
            _appendGate = null;
        }

        gate?.TrySetResult();
    }

    public ValueTask<(ErrorCode Error, long BaseOffset)> AppendAsync(string topic, int partition, ReadOnlyMemory<byte> batches, CancellationToken ct)
    {
        TaskCompletionSource? gate;
        lock (_lock)
        {
            gate = _appendGate;
        }

        return gate is null ? ValueTask.FromResult(Store(topic, partition, batches)) : AppendLaterAsync(gate, topic, partition, batches.ToArray(), ct);
    }

    private async ValueTask<(ErrorCode Error, long BaseOffset)> AppendLaterAsync(TaskCompletionSource gate, string topic, int partition, byte[] batches, CancellationToken ct)
    {
        await gate.Task.WaitAsync(ct).ConfigureAwait(false);
        return Store(topic, partition, batches);
    }

    private (ErrorCode Error, long BaseOffset) Store(string topic, int partition, ReadOnlyMemory<byte> batches)
    {
        Interlocked.Increment(ref _appends);
        if (FailAppendsWith != ErrorCode.None)
        {
            return (FailAppendsWith, -1);
        }

        lock (_lock)
        {
            var key = (topic, partition);
            if (!_batches.TryGetValue(key, out var list))
            {
                list = [];
                _batches[key] = list;
            }

            var baseOffset = _nextOffset.GetValueOrDefault(key);
            var next = baseOffset;
            foreach (var batch in new RecordBatchEnumerator(batches.Span))
            {
                // Like the replica manager: only well-formed batches (CRC, lengths, counts) are taken.
                if (!RecordBatchValidator.Validate(batch).IsValid)
                {
                    return (ErrorCode.CorruptMessage, -1);
                }

                var copy = batch.ToArray();
                BinaryPrimitives.WriteInt64BigEndian(copy, next);
                next += RecordBatchHeader.LastOffsetDelta(copy) + 1;
                list.Add(copy);
            }

            _nextOffset[key] = next;
            return (ErrorCode.None, baseOffset);
        }
    }

    public IEnumerable<ReadOnlyMemory<byte>> ReadCommitted(string topic, int partition, long fromOffset)
    {
        ReadGate?.Wait(TimeSpan.FromSeconds(30));
        List<byte[]> snapshot;
        lock (_lock)
        {
            snapshot = _batches.TryGetValue((topic, partition), out var list) ? [.. list] : [];
        }

        foreach (var batch in snapshot)
        {
            if (RecordBatchHeader.BaseOffset(batch) + RecordBatchHeader.LastOffsetDelta(batch) >= fromOffset)
            {
                yield return batch;
            }
        }
    }

    /// <summary>Every record appended to a partition, in order: (key, value or null for a tombstone).</summary>
    public List<(byte[] Key, byte[]? Value)> Records(string topic, int partition)
    {
        List<byte[]> snapshot;
        lock (_lock)
        {
            snapshot = _batches.TryGetValue((topic, partition), out var list) ? [.. list] : [];
        }

        var result = new List<(byte[] Key, byte[]? Value)>();
        foreach (var bytes in snapshot)
        {
            var batch = new RecordBatch(bytes);
            foreach (var record in batch.Records)
            {
                result.Add((record.Key.ToArray(), record.IsValueNull ? null : record.Value.ToArray()));
            }
        }

        return result;
    }
}
