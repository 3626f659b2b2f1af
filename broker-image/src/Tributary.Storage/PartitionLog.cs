using Tributary.Protocol.Records;

namespace Tributary.Storage;

/// <summary>
/// The log of one partition: an ordered list of segments in <c>&lt;log.dir&gt;/&lt;topic&gt;-&lt;partition&gt;/</c>.
/// Appends, rolls, truncation and segment removal are serialized by a per-log lock; reads take
/// no lock and see only what was published (the segment array, each segment's size and the
/// log end offset are published after the bytes are written).
/// </summary>
/// <remarks>
/// Offsets are assigned by rewriting each batch's base offset in place; records are never
/// decoded on the append or read path. Removed segments are renamed <c>.deleted</c> and kept
/// open for <see cref="LogConfig.FileDeleteDelayMs"/> so that reads already holding them finish.
/// </remarks>
public sealed class PartitionLog : IDisposable
{
    private readonly object _lock = new();
    private readonly object _flushLock = new();
    private readonly List<LogSegment> _pendingDeletes = [];
    private readonly TimeProvider _time;
    private volatile LogSegment[] _segments;
    private volatile LogConfig _config;
    private volatile bool _closed;
    private long _logEndOffset;
    private long _logStartOffset;
    private long _recoveryPoint;
    private long _unflushedMessages;
    private long _lastFlushMs;
    private bool _directoryDirty;
    private ProducerStateMap _producerState = new();

    private PartitionLog(string directory, TopicPartition topicPartition, LogConfig config, TimeProvider time, List<LogSegment> segments, long logStartOffset, LeaderEpochCache leaderEpochs)
    {
        LeaderEpochs = leaderEpochs;
        Directory = directory;
        TopicPartition = topicPartition;
        _config = config;
        _time = time;
        _segments = [.. segments];
        _logEndOffset = segments[^1].NextOffset;
        _logStartOffset = Math.Clamp(logStartOffset, segments[0].BaseOffset, _logEndOffset);
        _recoveryPoint = _logEndOffset;
        _lastFlushMs = NowMs;
        Cleaner = new CleanerState(_logStartOffset);
        var now = NowMs;
        foreach (var segment in segments)
        {
            segment.FirstAppendMs = segment.IsEmpty ? -1 : now;
        }
    }

    public TopicPartition TopicPartition { get; }

    /// <summary>
    /// Producer state kept in step with every append and truncation. Read or use it only while
    /// holding <see cref="AppendLock"/> (for example to check sequences and append atomically).
    /// </summary>
    public ProducerStateMap ProducerState => _producerState;

    /// <summary>The (reentrant) lock that serializes appends; hold it to check producer state and append as one step.</summary>
    public object AppendLock => _lock;

    /// <summary>First offset of the oldest open transaction, or null (the last stable offset is min(this, high watermark)).</summary>
    public long? FirstUnstableOffset
    {
        get
        {
            lock (_lock)
            {
                return _producerState.FirstUnstableOffset;
            }
        }
    }

    /// <summary>Leader epoch history (<c>leader-epoch-checkpoint</c>), kept in step with appends and truncation.</summary>
    public LeaderEpochCache LeaderEpochs { get; }

    /// <summary>The partition directory.</summary>
    public string Directory { get; }

    /// <summary>Current settings; assign a new record to apply topic config changes.</summary>
    public LogConfig Config
    {
        get => _config;
        set => _config = value ?? throw new ArgumentNullException(nameof(value));
    }

    public long LogStartOffset => Volatile.Read(ref _logStartOffset);

    /// <summary>One past the last offset appended.</summary>
    public long LogEndOffset => Volatile.Read(ref _logEndOffset);

    /// <summary>Everything below this offset is fsynced; recovery after a crash starts here.</summary>
    public long RecoveryPoint => Volatile.Read(ref _recoveryPoint);

    /// <summary>Bytes on disk across live segments.</summary>
    public long Size => _segments.Sum(s => (long)s.Size);

    public int SegmentCount => _segments.Length;

    /// <summary>Base offsets of the live segments, oldest first.</summary>
    public IReadOnlyList<long> SegmentBaseOffsets => [.. _segments.Select(s => s.BaseOffset)];

    /// <summary>Wall clock (ms) of the last fsync.</summary>
    public long LastFlushMs => Volatile.Read(ref _lastFlushMs);

    public bool IsClosed => _closed;

    internal CleanerState Cleaner { get; }

    /// <summary>Serializes compactions of this log.</summary>
    internal object CleanLock { get; } = new();

    internal LogSegment[] Segments => _segments;

    internal TimeProvider Time => _time;

    /// <summary>Test hook: called at each step of a compaction swap; throwing simulates a crash there.</summary>
    internal Action<string>? SwapStepHook { get; set; }

    private long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>
    /// Opens (or creates) the log in <paramref name="directory"/>. Segments that may hold data
    /// after <paramref name="recoveryPoint"/> are validated batch by batch and a torn or
    /// corrupt tail is cut off; earlier segments are trusted.
    /// </summary>
    public static PartitionLog Open(string directory, TopicPartition topicPartition, LogConfig config, long recoveryPoint = 0, long logStartOffset = 0, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        var segments = LogLoader.Load(directory, config, recoveryPoint, logStartOffset, out var truncated);
        var log = new PartitionLog(directory, topicPartition, config, time ?? TimeProvider.System, segments, logStartOffset, LeaderEpochCache.Load(directory))
        {
            TruncatedOnRecovery = truncated,
        };

        // Recovery may have cut the tail; epochs that started in it are gone too.
        log.LeaderEpochs.TruncateFromEnd(log.LogEndOffset);
        log.LeaderEpochs.TruncateFromStart(log.LogStartOffset);
        log.LoadProducerState();
        return log;
    }

    /// <summary>Bytes cut from a torn or corrupt tail when the log was opened.</summary>
    public long TruncatedOnRecovery { get; private init; }

    /// <summary>
    /// Appends already-validated v2 batches as the leader: assigns offsets from the log end by
    /// rewriting each base offset in place (not covered by the CRC), stamps
    /// <paramref name="leaderEpoch"/> when non-negative (not covered either), and for
    /// <c>LogAppendTime</c> topics stamps the max timestamp and recomputes the CRC. The bytes
    /// are otherwise written unchanged. <paramref name="batches"/> is modified.
    /// </summary>
    public AppendResult Append(Span<byte> batches, int leaderEpoch = -1)
    {
        var config = _config;
        AppendChecks.CheckBatches(TopicPartition, batches, config, requireIncreasingOffsets: false);
        var logAppendTime = config.MessageTimestampType == MessageTimestampType.LogAppendTime;
        AppendResult result;
        lock (_lock)
        {
            ThrowIfClosed();
            var now = NowMs;
            var next = _logEndOffset;
            var first = next;
            LeaderEpochs.Assign(leaderEpoch, first);
            List<AbortedTransaction>? aborts = null;
            long maxTimestamp = -1, offsetOfMax = next, records = 0;
            var count = 0;
            for (var position = 0; position < batches.Length; count++)
            {
                var batch = batches[position..];
                var size = RecordBatchHeader.TotalSize(batch);
                batch = batch[..size];
                RecordBatchHeader.SetBaseOffset(batch, next);
                if (leaderEpoch >= 0)
                {
                    RecordBatchHeader.SetPartitionLeaderEpoch(batch, leaderEpoch);
                }

                if (logAppendTime)
                {
                    AppendChecks.StampLogAppendTime(batch, now);
                }

                var lastOffset = next + RecordBatchHeader.LastOffsetDelta(batch);
                if (_producerState.Apply(BatchInfo.Parse(batch, position), batch) is { } aborted)
                {
                    (aborts ??= []).Add(aborted);
                }

                var ts = RecordBatchHeader.MaxTimestamp(batch);
                if (ts > maxTimestamp)
                {
                    maxTimestamp = ts;
                    offsetOfMax = lastOffset;
                }

                records += RecordBatchHeader.RecordCount(batch);
                next = lastOffset + 1;
                position += size;
            }

            var rolled = AppendCore(batches, config, now);
            IndexAborts(aborts);
            Volatile.Write(ref _logEndOffset, next);
            SnapshotIfRolled(rolled);
            _unflushedMessages += records;
            result = new AppendResult(first, next - 1, logAppendTime ? now : -1, maxTimestamp, offsetOfMax, _logStartOffset, count, records, batches.Length);
        }

        MaybeFlushForMessages(config);
        return result;
    }

    /// <summary>
    /// Appends batches fetched from the leader as they are (offsets already assigned). The
    /// first batch must start at or after the log end offset and offsets must increase.
    /// </summary>
    public AppendResult AppendAsFollower(ReadOnlySpan<byte> batches)
    {
        var config = _config;
        AppendChecks.CheckBatches(TopicPartition, batches, config, requireIncreasingOffsets: true);
        AppendResult result;
        lock (_lock)
        {
            ThrowIfClosed();
            var first = RecordBatchHeader.BaseOffset(batches);
            if (first < _logEndOffset)
            {
                throw new StorageException(StorageError.InvalidAppendOffset, $"{TopicPartition}: follower append at {first} is below the log end offset {_logEndOffset}");
            }

            long maxTimestamp = -1, offsetOfMax = first, records = 0, last = first;
            var count = 0;
            List<AbortedTransaction>? aborts = null;
            for (var position = 0; position < batches.Length; count++)
            {
                var batch = batches[position..];
                last = RecordBatchHeader.LastOffset(batch);
                if (_producerState.Apply(BatchInfo.Parse(batch, position), batch[..RecordBatchHeader.TotalSize(batch)]) is { } aborted)
                {
                    (aborts ??= []).Add(aborted);
                }

                LeaderEpochs.Assign(RecordBatchHeader.PartitionLeaderEpoch(batch), RecordBatchHeader.BaseOffset(batch));
                var ts = RecordBatchHeader.MaxTimestamp(batch);
                if (ts > maxTimestamp)
                {
                    maxTimestamp = ts;
                    offsetOfMax = last;
                }

                records += RecordBatchHeader.RecordCount(batch);
                position += RecordBatchHeader.TotalSize(batch);
            }

            var rolled = AppendCore(batches, config, NowMs);
            IndexAborts(aborts);
            Volatile.Write(ref _logEndOffset, last + 1);
            SnapshotIfRolled(rolled);
            _unflushedMessages += records;
            result = new AppendResult(first, last, -1, maxTimestamp, offsetOfMax, _logStartOffset, count, records, batches.Length);
        }

        MaybeFlushForMessages(config);
        return result;
    }

    /// <summary>
    /// Reads whole batches starting with the batch that contains <paramref name="fetchOffset"/>
    /// (even mid-batch), from one segment, up to <paramref name="maxBytes"/>, and only batches
    /// that end below <paramref name="maxOffset"/> (the high watermark or last stable offset).
    /// With <paramref name="minOneBatch"/> (KIP-74, the first partition of a fetch) the first
    /// batch is returned whole even when it is larger than <paramref name="maxBytes"/>.
    /// </summary>
    public LogReadResult Read(long fetchOffset, int maxBytes, long maxOffset = long.MaxValue, bool minOneBatch = true)
    {
        var logEnd = LogEndOffset;
        var segments = _segments;
        var logStart = LogStartOffset;
        if (fetchOffset < logStart || fetchOffset > logEnd)
        {
            return LogReadResult.Empty(ReadStatus.OffsetOutOfRange, logStart, logEnd);
        }

        var limit = Math.Min(maxOffset, logEnd);
        if (fetchOffset >= limit)
        {
            return LogReadResult.Empty(ReadStatus.Ok, logStart, logEnd);
        }

        for (var i = FloorSegment(segments, fetchOffset); i < segments.Length; i++)
        {
            var segment = segments[i];
            if (segment.FindBatch(fetchOffset) is not { } first)
            {
                continue; // the offset falls in a gap at the end of this segment (compaction)
            }

            if (first.LastOffset >= limit)
            {
                break;
            }

            return segment.ReadBatches(first, maxBytes, limit, minOneBatch, logStart, logEnd);
        }

        return LogReadResult.Empty(ReadStatus.Ok, logStart, logEnd);
    }

    /// <summary>
    /// ListOffsets: <see cref="ListOffsetsTimestamp.Earliest"/>, <see cref="ListOffsetsTimestamp.Latest"/>,
    /// <see cref="ListOffsetsTimestamp.MaxTimestamp"/>, or the first record whose timestamp is at
    /// least <paramref name="timestamp"/>. Null when no record qualifies.
    /// </summary>
    public TimestampAndOffset? FetchOffsetByTimestamp(long timestamp)
    {
        switch (timestamp)
        {
            case ListOffsetsTimestamp.Earliest:
                return new TimestampAndOffset(-1, LogStartOffset);
            case ListOffsetsTimestamp.Latest:
                return new TimestampAndOffset(-1, LogEndOffset);
            case ListOffsetsTimestamp.MaxTimestamp:
                return FindMaxTimestamp();
            case < 0:
                return null;
        }

        var logStart = LogStartOffset;
        foreach (var segment in _segments)
        {
            if (segment.NextOffset <= logStart || segment.MaxTimestamp < timestamp)
            {
                continue;
            }

            if (segment.FindOffsetByTimestamp(timestamp, logStart) is { } hit)
            {
                return new TimestampAndOffset(hit.Timestamp, hit.Offset);
            }
        }

        return null;
    }

    /// <summary>
    /// DeleteRecords: raises the log start offset to <paramref name="offset"/> (the caller checks
    /// it is at most the high watermark) and removes segments wholly below it. Returns the new
    /// log start offset.
    /// </summary>
    public long DeleteRecordsBefore(long offset)
    {
        lock (_lock)
        {
            ThrowIfClosed();
            if (offset > _logEndOffset)
            {
                throw new StorageException(StorageError.OffsetOutOfRange, $"{TopicPartition}: cannot delete records before {offset}, beyond the log end offset {_logEndOffset}");
            }

            if (offset > _logStartOffset)
            {
                Volatile.Write(ref _logStartOffset, offset);
                Cleaner.OnLogStartAdvanced(offset);
            }

            RemoveSegmentsBelowLogStart();
            LeaderEpochs.TruncateFromStart(_logStartOffset);
            return _logStartOffset;
        }
    }

    /// <summary>
    /// Retention for <c>cleanup.policy</c> including delete: removes closed segments whose
    /// largest timestamp is older than <c>retention.ms</c>, then the oldest closed segments
    /// while the log exceeds <c>retention.bytes</c>, then segments below the log start offset.
    /// The active segment is never removed. Returns the number of segments removed.
    /// </summary>
    public int DeleteOldSegments()
    {
        var config = _config;
        lock (_lock)
        {
            if (_closed)
            {
                return 0;
            }

            var now = NowMs;
            var segments = _segments;
            var closed = segments.Length - 1;
            var remove = 0;
            if (config.CleanupPolicy.HasFlag(CleanupPolicy.Delete))
            {
                if (config.RetentionMs >= 0)
                {
                    while (remove < closed && now - LargestTimestamp(segments[remove]) > config.RetentionMs)
                    {
                        remove++;
                    }
                }

                if (config.RetentionBytes >= 0)
                {
                    var excess = segments.Skip(remove).Sum(s => (long)s.Size) - config.RetentionBytes;
                    while (remove < closed && excess - segments[remove].Size >= 0)
                    {
                        excess -= segments[remove].Size;
                        remove++;
                    }
                }
            }

            var removed = RemoveSegments(remove);
            if (remove > 0)
            {
                Volatile.Write(ref _logStartOffset, Math.Max(_logStartOffset, _segments[0].BaseOffset));
                Cleaner.OnLogStartAdvanced(_logStartOffset);
                LeaderEpochs.TruncateFromStart(_logStartOffset);
            }

            return removed + RemoveSegmentsBelowLogStart();
        }
    }

    /// <summary>
    /// Compacts closed segments (cleanup.policy compact): keeps the latest record per key,
    /// drops expired tombstones, preserves offsets. <paramref name="upperBoundOffset"/> limits
    /// cleaning to segments wholly below it (pass the last stable offset). Returns the number
    /// of bytes reclaimed.
    /// </summary>
    public long Compact(long upperBoundOffset = long.MaxValue) => LogCleaner.Clean(this, upperBoundOffset);

    /// <summary>Each producer in the producer state and the last offset of its last batch (the cleaner keeps that batch, if only as a header).</summary>
    internal Dictionary<long, long> LastOffsetsOfProducers()
    {
        lock (_lock)
        {
            var result = new Dictionary<long, long>(_producerState.Producers.Count);
            foreach (var (id, entry) in _producerState.Producers)
            {
                if (entry.Batches.Count > 0)
                {
                    result[id] = entry.Batches[^1].LastOffset;
                }
            }

            return result;
        }
    }

    /// <summary>True when the background cleaner should compact now (dirty ratio or a tombstone horizon passed).</summary>
    public bool NeedsCompaction() => LogCleaner.NeedsCleaning(this);

    /// <summary>Fsyncs everything appended so far and advances the recovery point.</summary>
    public void Flush()
    {
        lock (_flushLock)
        {
            var target = LogEndOffset;
            bool directoryDirty;
            LogSegment[] segments;
            lock (_lock)
            {
                if (_closed)
                {
                    return;
                }

                if (target <= _recoveryPoint && !_directoryDirty)
                {
                    return;
                }

                segments = _segments;
                directoryDirty = _directoryDirty;
                _directoryDirty = false;
                _unflushedMessages = 0;
            }

            var recoveryPoint = RecoveryPoint;
            foreach (var segment in segments)
            {
                if (segment.NextOffset > recoveryPoint || segment == segments[^1])
                {
                    try
                    {
                        segment.Flush();
                    }
                    catch (ObjectDisposedException)
                    {
                        // Removed (retention, truncation) and closed since the snapshot: nothing to keep.
                    }
                }
            }

            if (directoryDirty)
            {
                DirectorySync.Flush(Directory);
            }

            lock (_lock)
            {
                Volatile.Write(ref _recoveryPoint, Math.Min(Math.Max(_recoveryPoint, target), _logEndOffset));
                Volatile.Write(ref _lastFlushMs, NowMs);
            }
        }
    }

    /// <summary>Flushes when unflushed data is older than <c>flush.ms</c>. Returns true when it flushed.</summary>
    public bool FlushIfDue()
    {
        var config = _config;
        if (LogEndOffset <= RecoveryPoint || config.FlushMs == long.MaxValue || NowMs - LastFlushMs < config.FlushMs)
        {
            return false;
        }

        Flush();
        return true;
    }

    /// <summary>
    /// Follower truncation: removes everything at or after <paramref name="offset"/>. A batch
    /// that straddles the offset is removed whole.
    /// </summary>
    public void TruncateTo(long offset)
    {
        lock (_lock)
        {
            ThrowIfClosed();
            if (offset >= _logEndOffset)
            {
                // No records go, but an epoch may start at the log end with none of its own: this
                // replica became leader of that epoch and lost it before taking a write. Left in
                // place it stays the follower's LastFetchedEpoch, the leader answers every fetch
                // with the same diverging epoch, and the follower never moves (as Kafka's
                // UnifiedLog.truncateTo, the cache is cut at the log end regardless).
                LeaderEpochs.TruncateFromEnd(_logEndOffset);
                return;
            }

            if (offset <= _segments[0].BaseOffset || offset < _logStartOffset)
            {
                TruncateFullyAndStartAtLocked(offset);
                return;
            }

            var keep = _segments.Count(s => s.BaseOffset < offset);
            RemoveTail(keep);
            var active = _segments[^1];
            var firstRemoved = active.TruncateTo(offset);
            var end = Math.Min(offset, firstRemoved ?? offset);
            Volatile.Write(ref _logEndOffset, end);
            Volatile.Write(ref _recoveryPoint, Math.Min(_recoveryPoint, end));
            Cleaner.OnTruncated(end);
            LeaderEpochs.TruncateFromEnd(end);
            _producerState = ProducerStateMap.Load(this);
        }
    }

    /// <summary>Removes all data and restarts the log empty at <paramref name="offset"/> (follower out of range).</summary>
    public void TruncateFullyAndStartAt(long offset)
    {
        lock (_lock)
        {
            ThrowIfClosed();
            TruncateFullyAndStartAtLocked(offset);
        }
    }

    /// <summary>Batch headers from the batch containing <paramref name="fromOffset"/> to the end, in order.</summary>
    public IEnumerable<BatchInfo> ReadBatchHeaders(long fromOffset)
    {
        foreach (var (_, batch) in Batches(fromOffset))
        {
            yield return batch;
        }
    }

    /// <summary>
    /// Fetch with read_committed: the aborted transactions overlapping
    /// [<paramref name="fetchOffset"/>, <paramref name="upperBoundOffset"/>), from the transaction
    /// indexes of the segments from the one holding the fetch offset (Kafka's collectAbortedTxns).
    /// </summary>
    public IReadOnlyList<AbortedTransaction> CollectAbortedTransactions(long fetchOffset, long upperBoundOffset)
    {
        var result = new List<AbortedTransaction>();
        var segments = _segments;
        for (var i = FloorSegment(segments, fetchOffset); i < segments.Length && segments[i].BaseOffset < upperBoundOffset; i++)
        {
            try
            {
                segments[i].TxnIndex.Collect(fetchOffset, upperBoundOffset, result);
            }
            catch (ObjectDisposedException)
            {
                // The segment was removed meanwhile; its transactions are below the log start now.
            }
        }

        return result;
    }

    /// <summary>Closes removed segments whose delete delay has passed and deletes their files.</summary>
    public void DeletePendingFiles()
    {
        lock (_lock)
        {
            var now = NowMs;
            for (var i = _pendingDeletes.Count - 1; i >= 0; i--)
            {
                if (_pendingDeletes[i].DeleteAfterMs <= now || _closed)
                {
                    _pendingDeletes[i].DeleteFiles();
                    _pendingDeletes.RemoveAt(i);
                }
            }
        }
    }

    /// <summary>Flushes and closes the log (clean shutdown). The recovery point equals the log end afterwards.</summary>
    public void Close()
    {
        if (_closed)
        {
            return;
        }

        Flush();
        lock (_lock)
        {
            if (!_closed)
            {
                // Restart then replays nothing.
                _producerState.TakeSnapshot(Directory);
            }
        }

        Dispose();
    }

    /// <summary>Closes files without flushing (pending deletions are completed).</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
            foreach (var segment in _segments)
            {
                segment.Dispose();
            }

            foreach (var segment in _pendingDeletes)
            {
                segment.DeleteFiles();
            }

            _pendingDeletes.Clear();
        }
    }

    /// <summary>Segments and batch headers from the batch containing <paramref name="fromOffset"/>.</summary>
    internal IEnumerable<(LogSegment Segment, BatchInfo Batch)> Batches(long fromOffset)
    {
        var segments = _segments;
        for (var i = FloorSegment(segments, fromOffset); i < segments.Length; i++)
        {
            var segment = segments[i];
            var list = new List<BatchInfo>();
            segment.ScanBatches(fromOffset, b =>
            {
                list.Add(b);
                return true;
            });
            foreach (var batch in list)
            {
                yield return (segment, batch);
            }
        }
    }

    /// <summary>
    /// Replaces <paramref name="replaced"/> (consecutive live segments) by <paramref name="cleaned"/>
    /// (written with the <c>.cleaned</c> suffix and flushed). Crash-safe order: the cleaned log
    /// is renamed <c>.swap</c> (the commit point; recovery completes the swap from here), the
    /// old segments are renamed <c>.deleted</c>, then the swap file gets the live name.
    /// Returns false (and leaves the log untouched) when the segments changed meanwhile.
    /// </summary>
    internal bool ReplaceSegments(IReadOnlyList<LogSegment> replaced, LogSegment cleaned)
    {
        lock (_lock)
        {
            if (_closed)
            {
                return false;
            }

            var segments = _segments;
            var start = Array.IndexOf(segments, replaced[0]);
            if (start < 0 || start + replaced.Count > segments.Length - 1)
            {
                return false;
            }

            for (var i = 0; i < replaced.Count; i++)
            {
                if (!ReferenceEquals(segments[start + i], replaced[i]))
                {
                    return false;
                }
            }

            var hook = SwapStepHook;
            hook?.Invoke("before-swap");
            cleaned.ChangeLogSuffix(SegmentFiles.SwapSuffix);
            DirectorySync.Flush(Directory);
            hook?.Invoke("swap-committed");
            var deleteAfter = NowMs + _config.FileDeleteDelayMs;
            foreach (var old in replaced)
            {
                old.ChangeSuffix(SegmentFiles.DeletedSuffix);
                old.DeleteAfterMs = deleteAfter;
                _pendingDeletes.Add(old);
                hook?.Invoke("old-deleted");
            }

            cleaned.OffsetIndex.Rename(SegmentFiles.IndexPath(Directory, cleaned.BaseOffset));
            cleaned.TimeIndex.Rename(SegmentFiles.TimeIndexPath(Directory, cleaned.BaseOffset));
            cleaned.TxnIndex.Rename(SegmentFiles.TxnIndexPath(Directory, cleaned.BaseOffset));
            cleaned.ChangeLogSuffix(string.Empty);
            DirectorySync.Flush(Directory);
            var updated = new List<LogSegment>(segments.Length);
            updated.AddRange(segments.Take(start));
            updated.Add(cleaned);
            updated.AddRange(segments.Skip(start + replaced.Count));
            _segments = [.. updated];
        }

        DeletePendingFiles();
        return true;
    }

    private static int FloorSegment(LogSegment[] segments, long offset)
    {
        int lo = 0, hi = segments.Length - 1, found = 0;
        while (lo <= hi)
        {
            var mid = lo + ((hi - lo) / 2);
            if (segments[mid].BaseOffset <= offset)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return found;
    }

    private static long LargestTimestamp(LogSegment segment) =>
        segment.MaxTimestamp >= 0 ? segment.MaxTimestamp : new DateTimeOffset(File.GetLastWriteTimeUtc(segment.LogPath)).ToUnixTimeMilliseconds();

    private void ThrowIfClosed()
    {
        if (_closed)
        {
            throw new StorageException(StorageError.LogClosed, $"{TopicPartition}: log is closed");
        }
    }

    private void MaybeFlushForMessages(LogConfig config)
    {
        if (config.FlushMessages != long.MaxValue && Volatile.Read(ref _unflushedMessages) >= config.FlushMessages)
        {
            Flush();
        }
    }

    /// <summary>Writes batches to the active segment, rolling first (or between batches) when a limit would be crossed.</summary>
    private bool AppendCore(ReadOnlySpan<byte> batches, LogConfig config, long now)
    {
        var rolled = false;
        var active = _segments[^1];
        if (!active.IsEmpty && active.FirstAppendMs >= 0 && now - active.FirstAppendMs >= config.SegmentMs)
        {
            active = Roll(RecordBatchHeader.BaseOffset(batches), config);
            rolled = true;
        }

        int chunkStart = 0, position = 0;
        while (position < batches.Length)
        {
            var size = RecordBatchHeader.TotalSize(batches[position..]);
            var baseOffset = RecordBatchHeader.BaseOffset(batches[position..]);
            var lastOffset = RecordBatchHeader.LastOffset(batches[position..]);
            var pendingSize = (long)active.Size + (position - chunkStart);
            var full = pendingSize > 0 && (pendingSize + size > config.SegmentBytes || active.OffsetIndex.IsFull);
            if (full || lastOffset - active.BaseOffset > int.MaxValue)
            {
                if (position > chunkStart)
                {
                    active.Append(batches[chunkStart..position], config, now);
                }

                active = Roll(baseOffset, config);
                rolled = true;
                chunkStart = position;
            }

            position += size;
        }

        active.Append(batches[chunkStart..], config, now);
        return rolled;
    }

    /// <summary>Records aborted transactions in the transaction index of the segment holding each marker.</summary>
    private void IndexAborts(List<AbortedTransaction>? aborts)
    {
        if (aborts is null)
        {
            return;
        }

        var segments = _segments;
        foreach (var aborted in aborts)
        {
            segments[FloorSegment(segments, aborted.LastOffset)].TxnIndex.Append(aborted);
        }
    }

    /// <summary>A producer state snapshot per roll bounds the replay needed after a restart (Kafka does the same).</summary>
    private void SnapshotIfRolled(bool rolled)
    {
        if (rolled)
        {
            _producerState.TakeSnapshot(Directory);
            ProducerStateSnapshot.DeleteBelow(Directory, _segments[0].BaseOffset);
        }
    }

    /// <summary>
    /// Rebuilds producer state from the newest usable snapshot. Segments that recovery rebuilt
    /// get their transaction index back from the replay, so the replay must start at or before them.
    /// </summary>
    private void LoadProducerState()
    {
        var rebuild = _segments.Where(s => s.NeedsTxnIndexRebuild).ToList();
        var bound = rebuild.Count == 0 ? long.MaxValue : rebuild[0].BaseOffset;
        _producerState = ProducerStateMap.Load(this, bound, (segment, aborted) =>
        {
            if (segment.NeedsTxnIndexRebuild)
            {
                segment.TxnIndex.Append(aborted);
            }
        });
        foreach (var segment in rebuild)
        {
            segment.NeedsTxnIndexRebuild = false;
            segment.TxnIndex.Flush();
        }
    }

    /// <summary>Seals the active segment and starts a new one at <paramref name="baseOffset"/>; an empty active segment is replaced instead.</summary>
    private LogSegment Roll(long baseOffset, LogConfig config)
    {
        var segments = _segments;
        var active = segments[^1];
        if (active.IsEmpty && active.BaseOffset == baseOffset)
        {
            return active;
        }

        var created = LogSegment.Create(Directory, baseOffset, config);
        if (active.IsEmpty)
        {
            // Nothing to keep: the empty segment's base no longer matches the next offset (a follower gap).
            LogSegment[] replaced = [.. segments];
            replaced[^1] = created;
            _segments = replaced;
            ScheduleDelete(active, NowMs + config.FileDeleteDelayMs);
        }
        else
        {
            active.Seal();
            _segments = [.. segments, created];
        }

        _directoryDirty = true;
        return created;
    }

    private TimestampAndOffset? FindMaxTimestamp()
    {
        LogSegment? best = null;
        long maxTimestamp, offsetOfMax;
        lock (_lock)
        {
            foreach (var segment in _segments)
            {
                if (segment.MaxTimestamp >= 0 && (best is null || segment.MaxTimestamp > best.MaxTimestamp))
                {
                    best = segment;
                }
            }

            if (best is null)
            {
                return null;
            }

            maxTimestamp = best.MaxTimestamp;
            offsetOfMax = best.OffsetOfMaxTimestamp;
        }

        var logStart = LogStartOffset;
        if (best.FindBatch(offsetOfMax) is { } batch &&
            best.FindRecord(batch, logStart, ts => ts == maxTimestamp) is { } record)
        {
            return new TimestampAndOffset(record.Timestamp, record.Offset);
        }

        return new TimestampAndOffset(maxTimestamp, Math.Max(offsetOfMax, logStart));
    }

    /// <summary>Removes the first <paramref name="count"/> segments (never the active one). Caller holds the lock.</summary>
    private int RemoveSegments(int count)
    {
        var segments = _segments;
        count = Math.Min(count, segments.Length - 1);
        if (count <= 0)
        {
            return 0;
        }

        _segments = segments[count..];
        var deleteAfter = NowMs + _config.FileDeleteDelayMs;
        for (var i = 0; i < count; i++)
        {
            ScheduleDelete(segments[i], deleteAfter);
        }

        DirectorySync.Flush(Directory);
        DeleteDueLocked();
        return count;
    }

    /// <summary>Removes the segments after the first <paramref name="keep"/>. Caller holds the lock.</summary>
    private void RemoveTail(int keep)
    {
        var segments = _segments;
        if (keep >= segments.Length)
        {
            return;
        }

        _segments = segments[..keep];
        var deleteAfter = NowMs + _config.FileDeleteDelayMs;
        for (var i = keep; i < segments.Length; i++)
        {
            ScheduleDelete(segments[i], deleteAfter);
        }

        DirectorySync.Flush(Directory);
        DeleteDueLocked();
    }

    private void ScheduleDelete(LogSegment segment, long deleteAfter)
    {
        segment.ChangeSuffix(SegmentFiles.DeletedSuffix);
        segment.DeleteAfterMs = deleteAfter;
        _pendingDeletes.Add(segment);
    }

    private void DeleteDueLocked()
    {
        var now = NowMs;
        for (var i = _pendingDeletes.Count - 1; i >= 0; i--)
        {
            if (_pendingDeletes[i].DeleteAfterMs <= now)
            {
                _pendingDeletes[i].DeleteFiles();
                _pendingDeletes.RemoveAt(i);
            }
        }
    }

    private int RemoveSegmentsBelowLogStart()
    {
        var segments = _segments;
        var remove = 0;
        while (remove < segments.Length - 1 && segments[remove + 1].BaseOffset <= _logStartOffset)
        {
            remove++;
        }

        return RemoveSegments(remove);
    }

    private void TruncateFullyAndStartAtLocked(long offset)
    {
        // Rename the old segments away first: the new segment may reuse a base offset (file name).
        var segments = _segments;
        var deleteAfter = NowMs + _config.FileDeleteDelayMs;
        foreach (var segment in segments)
        {
            ScheduleDelete(segment, deleteAfter);
        }

        _segments = [LogSegment.Create(Directory, offset, _config)];

        Volatile.Write(ref _logEndOffset, offset);
        Volatile.Write(ref _logStartOffset, offset);
        Volatile.Write(ref _recoveryPoint, Math.Min(_recoveryPoint, offset));
        Cleaner.OnTruncated(offset);
        Cleaner.OnLogStartAdvanced(offset);
        LeaderEpochs.Clear();
        ProducerStateSnapshot.DeleteAbove(Directory, -1);
        _producerState = ProducerStateMap.Load(this);
        _directoryDirty = true;
        DirectorySync.Flush(Directory);
        DeleteDueLocked();
    }
}
