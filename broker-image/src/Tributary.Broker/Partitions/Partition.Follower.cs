using Tributary.Protocol;
using Tributary.Protocol.Records;
using Tributary.Storage;

namespace Tributary.Broker.Partitions;

/// <summary>
/// The follower's side of replication: appending the leader's batches with their offsets and
/// epochs, truncating a divergent tail, and following the leader's high watermark. Every call
/// names the leader epoch it acts for; one made stale by a leadership change is refused, so a
/// fetch response that raced a metadata update cannot touch the log.
/// </summary>
public sealed partial class Partition
{
    /// <summary>
    /// Appends batches fetched from the leader as they are (the leader's offsets, epochs and
    /// producer sequences), rebuilding idempotent-producer state from their headers so this
    /// replica dedupes retries correctly should it become leader. Batches already below the log
    /// end and a trailing partial batch are skipped. Then the high watermark becomes
    /// min(<paramref name="leaderHighWatermark"/>, log end).
    /// </summary>
    public FollowerAppendResult AppendAsFollower(ReadOnlySpan<byte> batches, int leaderEpoch, long leaderHighWatermark)
    {
        var bytes = 0;
        lock (_appendLock)
        {
            if (_closed || IsLeader || _leadership.LeaderEpoch != leaderEpoch)
            {
                return FollowerAppendResult.Failure(ErrorCode.NotLeaderOrFollower, $"{TopicPartition} is no longer following epoch {leaderEpoch}");
            }

            var (start, end) = NewCompleteBatches(batches, Log.LogEndOffset);
            if (end > start)
            {
                var slice = batches[start..end];
                try
                {
                    var appended = Log.AppendAsFollower(slice);
                    bytes = appended.Bytes;
                }
                catch (StorageException e)
                {
                    return FollowerAppendResult.Failure(e.Error == StorageError.InvalidAppendOffset ? ErrorCode.OffsetOutOfRange : ErrorFor(e.Error), e.Message);
                }
                catch (IOException e)
                {
                    return FollowerAppendResult.Failure(ErrorCode.KafkaStorageError, e.Message);
                }

                for (var position = 0; position < slice.Length; position += RecordBatchHeader.TotalSize(slice[position..]))
                {
                    _producers.Replay(slice[position..]);
                }

                lock (_stateLock)
                {
                    Volatile.Write(ref _appendedBytes, _appendedBytes + bytes);
                    _uncommittedBytes.Enqueue((Log.LogEndOffset, _appendedBytes));
                }
            }
        }

        UpdateFollowerHighWatermark(leaderHighWatermark);
        return new FollowerAppendResult(ErrorCode.None, bytes, null);
    }

    /// <summary>Moves the follower's high watermark up to min(<paramref name="leaderHighWatermark"/>, log end).</summary>
    public void UpdateFollowerHighWatermark(long leaderHighWatermark)
    {
        IPartitionWatcher[]? watchers = null;
        lock (_stateLock)
        {
            if (IsLeader || _closed)
            {
                return;
            }

            var hw = Math.Min(leaderHighWatermark, Log.LogEndOffset);
            if (hw <= HighWatermark)
            {
                return;
            }

            Volatile.Write(ref _highWatermark, hw);
            while (_uncommittedBytes.TryPeek(out var entry) && entry.NextOffset <= hw)
            {
                Volatile.Write(ref _committedBytes, entry.CumulativeBytes);
                _uncommittedBytes.Dequeue();
            }

            if (_watchers.Count > 0)
            {
                watchers = [.. _watchers];
            }
        }

        Notify(watchers);
    }

    /// <summary>
    /// The leader's log start moved (retention, DeleteRecords): the follower drops what is below
    /// it too, up to its own high watermark.
    /// </summary>
    public void MaybeIncrementLogStartOffsetAsFollower(long leaderLogStartOffset, int leaderEpoch)
    {
        lock (_appendLock)
        {
            if (_closed || IsLeader || _leadership.LeaderEpoch != leaderEpoch)
            {
                return;
            }

            var target = Math.Min(leaderLogStartOffset, HighWatermark);
            if (target <= Log.LogStartOffset)
            {
                return;
            }

            try
            {
                Log.DeleteRecordsBefore(target);
            }
            catch (StorageException)
            {
                return; // retried with the next fetch response
            }
        }

        NotifyWatchers();
    }

    /// <summary>
    /// Follower truncation (diverging epoch or OffsetForLeaderEpoch): removes everything from
    /// <paramref name="offset"/> on and rebuilds producer state from what remains. False when
    /// this replica no longer follows <paramref name="leaderEpoch"/>.
    /// </summary>
    public bool TruncateTo(long offset, int leaderEpoch)
    {
        lock (_appendLock)
        {
            if (_closed || IsLeader || _leadership.LeaderEpoch != leaderEpoch)
            {
                return false;
            }

            // At or past the log end no record goes, but an epoch cached at the log end without
            // records does, so the log is always asked; producer state and watchers only care
            // when records went.
            var recordsGo = offset < Log.LogEndOffset;
            Log.TruncateTo(offset);
            if (!recordsGo)
            {
                return true;
            }

            AfterTruncationLocked();
        }

        NotifyWatchers();
        return true;
    }

    /// <summary>
    /// OFFSET_OUT_OF_RANGE below the leader's log start: drops the whole log and restarts it at
    /// <paramref name="offset"/>. False when this replica no longer follows <paramref name="leaderEpoch"/>.
    /// </summary>
    public bool TruncateFullyAndStartAt(long offset, int leaderEpoch)
    {
        lock (_appendLock)
        {
            if (_closed || IsLeader || _leadership.LeaderEpoch != leaderEpoch)
            {
                return false;
            }

            Log.TruncateFullyAndStartAt(offset);
            AfterTruncationLocked();
        }

        NotifyWatchers();
        return true;
    }

    /// <summary>Complete batches of <paramref name="batches"/> that end at or after <paramref name="logEndOffset"/>: [start, end).</summary>
    private static (int Start, int End) NewCompleteBatches(ReadOnlySpan<byte> batches, long logEndOffset)
    {
        int start = 0, end = 0;
        for (var position = 0; position + RecordBatchHeader.Size <= batches.Length;)
        {
            var size = RecordBatchHeader.TotalSize(batches[position..]);
            if (size < RecordBatchHeader.Size || size > batches.Length - position)
            {
                break; // a leader may cut the last batch at its size limit
            }

            if (RecordBatchHeader.LastOffset(batches[position..]) < logEndOffset)
            {
                start = position + size;
            }

            position += size;
            end = position;
        }

        return (Math.Min(start, end), end);
    }

    /// <summary>Producer state, high watermark and byte counters after the log end moved back.</summary>
    private void AfterTruncationLocked()
    {
        _producers = ProducerStatePersistence.Load(Log);
        Volatile.Write(ref _lastSnapshotOffset, -1);
        lock (_stateLock)
        {
            var end = Log.LogEndOffset;
            Volatile.Write(ref _highWatermark, Math.Max(Log.LogStartOffset, Math.Min(HighWatermark, end)));
            var kept = _uncommittedBytes.Where(e => e.NextOffset <= end).ToList();
            _uncommittedBytes.Clear();
            foreach (var entry in kept)
            {
                _uncommittedBytes.Enqueue(entry);
            }

            // Counters only grow (waiting fetches measure growth); what was cut counts as committed.
            Volatile.Write(ref _committedBytes, kept.Count > 0 ? Math.Min(_committedBytes, kept[0].CumulativeBytes) : _appendedBytes);
        }
    }
}
