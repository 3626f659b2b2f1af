using Tributary.Broker.Producers;
using Tributary.Protocol;
using Tributary.Protocol.Records;
using Tributary.Storage;

namespace Tributary.Broker.Partitions;

/// <summary>
/// One partition hosted by this broker: its log, leadership, high watermark, idempotent producer
/// state, and the operations waiting on it (acks=all produces, long-polling fetches).
/// </summary>
/// <remarks>
/// The high watermark is the minimum, over the in-sync replicas, of how far each has the log:
/// the leader its log end offset, a follower the offset it last fetched from. With the ISR being
/// the leader alone (single node) that is the log end offset right after each append (and after
/// the fsync when <c>flush.messages</c> forces one). Replica fetches report follower positions
/// (<see cref="UpdateFollowerFetchState"/>, Partition.Leader.cs), which also drive ISR changes;
/// as a follower the partition appends the leader's batches as they are (Partition.Follower.cs).
/// Lock order: the append lock, then the state lock; watchers and waiters are completed with
/// neither held.
/// </remarks>
public sealed partial class Partition
{
    private readonly object _appendLock = new();
    private readonly object _stateLock = new();
    private readonly int _nodeId;
    private readonly PartitionReplicationSettings _replication;
    private readonly Dictionary<int, FollowerState> _followers = [];
    private readonly Queue<(long NextOffset, long CumulativeBytes)> _uncommittedBytes = new();
    private readonly List<(long Offset, TaskCompletionSource<ErrorCode> Done)> _commitWaiters = [];
    private readonly List<IPartitionWatcher> _watchers = [];
    private readonly TimeProvider _time;
    private volatile PartitionLeadership _leadership = PartitionLeadership.None;
    private volatile bool _closed;
    private long _highWatermark;
    private long _appendedBytes;
    private long _committedBytes;
    private long _lastSnapshotOffset = -1;
    private PartitionProducerState _producers;

    public Partition(PartitionLog log, Guid topicId, int nodeId, PartitionProducerState producers, TimeProvider? time = null,
        PartitionReplicationSettings? replication = null)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(producers);
        Log = log;
        TopicId = topicId;
        _nodeId = nodeId;
        _producers = producers;
        _time = time ?? TimeProvider.System;
        _replication = replication ?? PartitionReplicationSettings.SingleNode;
        _highWatermark = log.LogStartOffset;
    }

    public TopicPartition TopicPartition => Log.TopicPartition;

    public Guid TopicId { get; }

    public PartitionLog Log { get; }

    public PartitionLeadership Leadership => _leadership;

    public bool IsLeader => !_closed && _leadership.Leader == _nodeId;

    public int LeaderEpoch => _leadership.LeaderEpoch;

    public bool IsClosed => _closed;

    /// <summary>Offsets below this are committed (replicated to the whole ISR): consumers see them.</summary>
    public long HighWatermark => Volatile.Read(ref _highWatermark);

    /// <summary>Without transactions every committed offset is stable.</summary>
    public long LastStableOffset => HighWatermark;

    public long LogStartOffset => Log.LogStartOffset;

    public long LogEndOffset => Log.LogEndOffset;

    /// <summary>
    /// Bytes of batches committed since this object was created: a monotonic counter whose
    /// growth tells a waiting fetch how much new data it could read, without reading it.
    /// </summary>
    public long CommittedBytes => Volatile.Read(ref _committedBytes);

    /// <summary>Bytes of batches appended since this object was created: what a waiting replica fetch measures.</summary>
    public long AppendedBytes => Volatile.Read(ref _appendedBytes);

    /// <summary>
    /// Appends complete v2 batches as the leader, stamping the leader epoch. With
    /// <paramref name="checkSequences"/> (the produce path, exactly one batch) an idempotent
    /// batch is checked against the producer's sequence and epoch first: a retried duplicate is
    /// answered with its original offsets and not appended again. <paramref name="batches"/> is
    /// modified in place (offsets, leader epoch, log append time).
    /// </summary>
    public PartitionAppendResult AppendAsLeader(Span<byte> batches, bool checkSequences)
    {
        AppendResult appended;
        lock (_appendLock)
        {
            if (!IsLeader)
            {
                return PartitionAppendResult.Failure(ErrorCode.NotLeaderOrFollower, $"this broker does not lead {TopicPartition}");
            }

            if (checkSequences && RecordBatchHeader.ProducerId(batches) >= 0)
            {
                var check = _producers.CheckAndRecord(RecordBatchHeader.ProducerId(batches), RecordBatchHeader.ProducerEpoch(batches),
                    RecordBatchHeader.BaseSequence(batches), RecordBatchHeader.LastOffsetDelta(batches));
                switch (check.Outcome)
                {
                    case SequenceCheckOutcome.Duplicate:
                        return new PartitionAppendResult(ErrorCode.None, check.FirstOffset, check.LastOffset, -1, Log.LogStartOffset, 0, 0, true, null);
                    case SequenceCheckOutcome.OutOfOrderSequence:
                        return PartitionAppendResult.Failure(check.Error, $"out of order sequence number {RecordBatchHeader.BaseSequence(batches)} for producer {RecordBatchHeader.ProducerId(batches)}");
                    case SequenceCheckOutcome.InvalidProducerEpoch:
                        return PartitionAppendResult.Failure(check.Error, $"producer epoch {RecordBatchHeader.ProducerEpoch(batches)} is older than the latest one");
                }
            }

            try
            {
                appended = Log.Append(batches, _leadership.LeaderEpoch);
            }
            catch (StorageException e)
            {
                return PartitionAppendResult.Failure(ErrorFor(e.Error), e.Message);
            }
            catch (IOException e)
            {
                return PartitionAppendResult.Failure(ErrorCode.KafkaStorageError, e.Message);
            }

            // Offsets are assigned in place now: the headers are what the log holds.
            for (var position = 0; position < batches.Length; position += RecordBatchHeader.TotalSize(batches[position..]))
            {
                _producers.Replay(batches[position..]);
            }

            lock (_stateLock)
            {
                Volatile.Write(ref _appendedBytes, _appendedBytes + appended.Bytes);
                _uncommittedBytes.Enqueue((appended.LastOffset + 1, _appendedBytes));
            }
        }

        // With followers the HW does not move on append, but their long-polling fetches must wake.
        MaybeIncrementHighWatermark(notifyAlways: _leadership.Replicas.Count > 1);
        return new PartitionAppendResult(ErrorCode.None, appended.FirstOffset, appended.LastOffset, appended.LogAppendTimeMs,
            appended.LogStartOffset, appended.RecordCount, appended.Bytes, false, null);
    }

    /// <summary>
    /// Completes when the high watermark passes <paramref name="offset"/> (acks=all): None,
    /// REQUEST_TIMED_OUT after <paramref name="timeout"/>, or NOT_LEADER_OR_FOLLOWER when
    /// leadership is lost meanwhile.
    /// </summary>
    public async ValueTask<ErrorCode> WaitForCommitAsync(long offset, TimeSpan timeout, CancellationToken ct)
    {
        TaskCompletionSource<ErrorCode> done;
        lock (_stateLock)
        {
            if (HighWatermark >= offset)
            {
                return ErrorCode.None;
            }

            if (!IsLeader)
            {
                return ErrorCode.NotLeaderOrFollower;
            }

            done = new TaskCompletionSource<ErrorCode>(TaskCreationOptions.RunContinuationsAsynchronously);
            _commitWaiters.Add((offset, done));
        }

        try
        {
            return await done.Task.WaitAsync(timeout, _time, ct).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return ErrorCode.RequestTimedOut;
        }
        finally
        {
            lock (_stateLock)
            {
                _commitWaiters.RemoveAll(w => ReferenceEquals(w.Done, done));
            }
        }
    }

    /// <summary>Recomputes the high watermark (min over the ISR) and wakes what waits on it.</summary>
    public void MaybeIncrementHighWatermark() => MaybeIncrementHighWatermark(notifyAlways: false);

    /// <summary>Replication hook kept for callers that only know an end offset: a follower fetched up to <paramref name="endOffset"/>.</summary>
    public void UpdateReplicaEndOffset(int replicaId, long endOffset) => UpdateFollowerFetchState(replicaId, endOffset, Log.LogEndOffset, -1);

    /// <summary>
    /// Applies leadership from a new metadata image; losing it fails waiting produces and wakes
    /// fetches. A new leader term resets what is known about followers and records the epoch's
    /// start offset in the epoch history (so a follower with a divergent tail is told where to
    /// truncate even before this leader appends anything). An image older than an ISR change this
    /// leader already applied from an AlterPartition response is ignored.
    /// </summary>
    public void ApplyLeadership(PartitionLeadership leadership)
    {
        ArgumentNullException.ThrowIfNull(leadership);
        bool lost;
        lock (_appendLock)
        {
            lock (_stateLock)
            {
                var previous = _leadership;
                if (previous == leadership)
                {
                    return;
                }

                if (leadership.Leader == previous.Leader && leadership.LeaderEpoch == previous.LeaderEpoch && leadership.PartitionEpoch < previous.PartitionEpoch)
                {
                    return;
                }

                var wasLeader = previous.Leader == _nodeId;
                var isLeader = leadership.Leader == _nodeId;
                var newTerm = isLeader && (!wasLeader || previous.LeaderEpoch != leadership.LeaderEpoch);
                if (newTerm)
                {
                    StartLeaderTermLocked(leadership);
                }
                else if (!isLeader)
                {
                    _followers.Clear();
                }

                if (!isLeader || leadership.PartitionEpoch != previous.PartitionEpoch || newTerm)
                {
                    _pendingIsr = null;
                }

                _leadership = leadership;
                lost = wasLeader && !isLeader;
            }
        }

        if (lost)
        {
            FailWaiters(ErrorCode.NotLeaderOrFollower);
        }

        MaybeIncrementHighWatermark();
        NotifyWatchers();
    }

    /// <summary>
    /// DeleteRecords: moves the log start offset to <paramref name="offset"/> (-1: the high
    /// watermark). Offsets beyond the high watermark are OFFSET_OUT_OF_RANGE.
    /// </summary>
    public (ErrorCode Error, long LowWatermark) DeleteRecordsBefore(long offset)
    {
        if (!IsLeader)
        {
            return (ErrorCode.NotLeaderOrFollower, -1);
        }

        var hw = HighWatermark;
        if (offset == -1)
        {
            offset = hw;
        }

        if (offset < 0 || offset > hw)
        {
            return (ErrorCode.OffsetOutOfRange, -1);
        }

        try
        {
            var start = Log.DeleteRecordsBefore(offset);
            NotifyWatchers();
            return (ErrorCode.None, start);
        }
        catch (StorageException e)
        {
            return (ErrorFor(e.Error), -1);
        }
        catch (IOException)
        {
            return (ErrorCode.KafkaStorageError, -1);
        }
    }

    public void AddWatcher(IPartitionWatcher watcher)
    {
        lock (_stateLock)
        {
            _watchers.Add(watcher);
        }
    }

    public void RemoveWatcher(IPartitionWatcher watcher)
    {
        lock (_stateLock)
        {
            _watchers.Remove(watcher);
        }
    }

    /// <summary>The partition stops being served (deleted, moved away): waiters fail, fetches wake.</summary>
    public void Close()
    {
        _closed = true;
        FailWaiters(ErrorCode.NotLeaderOrFollower);
        NotifyWatchers();
    }

    /// <summary>
    /// Writes a producer state snapshot at the log end offset (when anything was appended since
    /// the last one) so a restart replays only the batches after it. Returns true when written.
    /// </summary>
    public bool CheckpointProducerState()
    {
        List<Storage.ProducerStateEntry> entries;
        long offset;
        lock (_appendLock)
        {
            offset = Log.LogEndOffset;
            if (_closed || offset == _lastSnapshotOffset)
            {
                return false;
            }

            entries = ProducerStatePersistence.ToStorage(_producers);
        }

        ProducerStatePersistence.Write(Log.Directory, offset, entries, Log.LogStartOffset);
        Volatile.Write(ref _lastSnapshotOffset, offset);
        return true;
    }

    /// <summary>Forgets producers idle for <paramref name="expirationMs"/>.</summary>
    public int RemoveExpiredProducers(long nowMs, long expirationMs)
    {
        lock (_appendLock)
        {
            return _producers.RemoveExpired(nowMs, expirationMs);
        }
    }

    /// <summary>The producer's remembered epoch and last sequence (tests, DescribeProducers later).</summary>
    public (short Epoch, int LastSequence, long LastOffset)? ProducerInfo(long producerId)
    {
        lock (_appendLock)
        {
            return _producers.Get(producerId) is { } e ? (e.Epoch, e.LastSequence, e.LastOffset) : null;
        }
    }

    internal static ErrorCode ErrorFor(StorageError error) => error switch
    {
        StorageError.CorruptRecord => ErrorCode.CorruptMessage,
        StorageError.RecordTooLarge => ErrorCode.MessageTooLarge,
        StorageError.OffsetOutOfRange => ErrorCode.OffsetOutOfRange,
        StorageError.LogClosed => ErrorCode.NotLeaderOrFollower,
        _ => ErrorCode.KafkaStorageError,
    };

    private void NotifyWatchers()
    {
        IPartitionWatcher[]? watchers;
        lock (_stateLock)
        {
            watchers = _watchers.Count == 0 ? null : [.. _watchers];
        }

        Notify(watchers);
    }

    private void Notify(IPartitionWatcher[]? watchers)
    {
        if (watchers is null)
        {
            return;
        }

        foreach (var watcher in watchers)
        {
            watcher.OnPartitionChanged(this);
        }
    }

    private void FailWaiters(ErrorCode error)
    {
        List<TaskCompletionSource<ErrorCode>> waiters;
        lock (_stateLock)
        {
            waiters = [.. _commitWaiters.Select(w => w.Done)];
            _commitWaiters.Clear();
        }

        waiters.ForEach(w => w.TrySetResult(error));
    }
}
