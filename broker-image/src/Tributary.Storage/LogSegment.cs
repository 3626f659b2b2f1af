using System.Buffers;
using Microsoft.Win32.SafeHandles;
using Tributary.Protocol.Records;

namespace Tributary.Storage;

/// <summary>
/// One segment of a partition log: the <c>.log</c> file of batches plus its offset and time
/// indexes, all named by the segment's base offset. Appends are serialized by the owning
/// <see cref="PartitionLog"/>; readers may run concurrently and only look below the published
/// <see cref="Size"/>, which is raised after the bytes are written.
/// </summary>
internal sealed class LogSegment : IDisposable
{
    private readonly string _directory;
    private readonly SafeFileHandle _log;
    private int _size;
    private long _nextOffset;
    private int _bytesSinceLastIndexEntry;
    private SegmentFileTail _tail = new(0);
    private int _closed;

    private LogSegment(string directory, long baseOffset, SafeFileHandle log, OffsetIndex offsetIndex, TimeIndex timeIndex, TransactionIndex txnIndex, string suffix)
    {
        TxnIndex = txnIndex;
        _directory = directory;
        BaseOffset = baseOffset;
        _log = log;
        OffsetIndex = offsetIndex;
        TimeIndex = timeIndex;
        Suffix = suffix;
        _nextOffset = baseOffset;
        MaxTimestamp = -1;
        OffsetOfMaxTimestamp = baseOffset;
        FirstAppendMs = -1;
    }

    public long BaseOffset { get; }

    public OffsetIndex OffsetIndex { get; }

    public TimeIndex TimeIndex { get; }

    /// <summary>Aborted transactions whose marker is in this segment.</summary>
    public TransactionIndex TxnIndex { get; }

    /// <summary>Set by <see cref="Recover"/>: the transaction index must be rebuilt from a producer state replay.</summary>
    public bool NeedsTxnIndexRebuild { get; set; }

    /// <summary>File name suffix of the current state: "" (live), ".cleaned", ".swap", ".deleted".</summary>
    public string Suffix { get; private set; }

    public string LogPath => SegmentFiles.LogPath(_directory, BaseOffset, Suffix);

    /// <summary>The open log file; valid until the segment is disposed (deletion is delayed for readers).</summary>
    public SafeFileHandle Handle => _log;

    /// <summary>Published size in bytes: everything below is complete batches.</summary>
    public int Size => Volatile.Read(ref _size);

    /// <summary>One past the last offset in the segment (the base offset when empty).</summary>
    public long NextOffset => Volatile.Read(ref _nextOffset);

    public bool IsEmpty => Size == 0;

    /// <summary>Largest batch max timestamp, -1 when none. Consistent with <see cref="OffsetOfMaxTimestamp"/> under the log lock.</summary>
    public long MaxTimestamp { get; private set; }

    /// <summary>Last offset of the batch holding <see cref="MaxTimestamp"/>.</summary>
    public long OffsetOfMaxTimestamp { get; private set; }

    /// <summary>Wall clock of the first append since the segment was created or opened (for <c>segment.ms</c>), -1 before.</summary>
    public long FirstAppendMs { get; set; }

    /// <summary>Set once the segment was removed from its log; its files go away after the delete delay.</summary>
    public long DeleteAfterMs { get; set; } = long.MaxValue;

    public static LogSegment Create(string directory, long baseOffset, LogConfig config, string suffix = "")
    {
        var log = FileIo.OpenReadWrite(SegmentFiles.LogPath(directory, baseOffset, suffix), FileMode.Create);
        var offsetIndex = OffsetIndex.Open(SegmentFiles.IndexPath(directory, baseOffset, suffix), baseOffset, config.MaxIndexEntries, truncate: true);
        var timeIndex = TimeIndex.Open(SegmentFiles.TimeIndexPath(directory, baseOffset, suffix), baseOffset, truncate: true);
        var txnIndex = TransactionIndex.Open(SegmentFiles.TxnIndexPath(directory, baseOffset, suffix), truncate: true);
        return new LogSegment(directory, baseOffset, log, offsetIndex, timeIndex, txnIndex, suffix);
    }

    /// <summary>Opens existing files; call <see cref="TryLoad"/> or <see cref="Recover"/> next.</summary>
    public static LogSegment Open(string directory, long baseOffset, LogConfig config)
    {
        var log = FileIo.OpenReadWrite(SegmentFiles.LogPath(directory, baseOffset), FileMode.Open);
        var offsetIndex = OffsetIndex.Open(SegmentFiles.IndexPath(directory, baseOffset), baseOffset, config.MaxIndexEntries);
        var timeIndex = TimeIndex.Open(SegmentFiles.TimeIndexPath(directory, baseOffset), baseOffset);
        var txnIndex = TransactionIndex.Open(SegmentFiles.TxnIndexPath(directory, baseOffset));
        return new LogSegment(directory, baseOffset, log, offsetIndex, timeIndex, txnIndex, string.Empty);
    }

    /// <summary>
    /// Loads a segment that was flushed before the last shutdown, trusting its indexes: checks
    /// them, then scans only the tail after the last index entry to find the end. False when
    /// anything looks wrong; the caller then runs a full <see cref="Recover"/>.
    /// </summary>
    public bool TryLoad()
    {
        var length = RandomAccess.GetLength(_log);
        if (length > int.MaxValue || OffsetIndex.IsCorrupt(length))
        {
            return false;
        }

        var start = OffsetIndex.LastEntry.Position;
        var next = BaseOffset;
        long maxTimestamp = TimeIndex.LastEntry.Timestamp, offsetOfMax = TimeIndex.LastEntry.Offset;
        using (var scanner = new SegmentScanner(_log, start, length))
        {
            while (true)
            {
                var status = scanner.Next(out var batch);
                if (status == ScanStatus.End)
                {
                    break;
                }

                if (status != ScanStatus.Batch || batch.BaseOffset < Math.Max(next, BaseOffset) || batch.LastOffset - BaseOffset > int.MaxValue)
                {
                    return false;
                }

                // The last index entry must name the batch it points at.
                if (next == BaseOffset && start > 0 && batch.LastOffset != OffsetIndex.LastEntry.Offset)
                {
                    return false;
                }

                next = batch.NextOffset;
                if (batch.MaxTimestamp > maxTimestamp)
                {
                    maxTimestamp = batch.MaxTimestamp;
                    offsetOfMax = batch.LastOffset;
                }
            }
        }

        if (TimeIndex.IsCorrupt(Math.Max(next, BaseOffset + 1)))
        {
            return false;
        }

        _size = (int)length;
        _tail = new SegmentFileTail(length);
        _nextOffset = next;
        _bytesSinceLastIndexEntry = (int)(length - start);
        MaxTimestamp = maxTimestamp;
        OffsetOfMaxTimestamp = offsetOfMax;
        return true;
    }

    /// <summary>
    /// Validates every batch (header, size, offsets, CRC32C), rebuilds both indexes, and cuts
    /// the file at the first invalid batch. Returns the number of bytes cut.
    /// </summary>
    public long Recover(int indexIntervalBytes)
    {
        OffsetIndex.Reset();
        TimeIndex.Reset();
        TxnIndex.Reset();
        NeedsTxnIndexRebuild = true;
        MaxTimestamp = -1;
        OffsetOfMaxTimestamp = BaseOffset;
        _bytesSinceLastIndexEntry = 0;

        var length = Math.Min(RandomAccess.GetLength(_log), int.MaxValue);
        long position = 0;
        var next = BaseOffset;
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            while (length - position >= RecordBatchHeader.Size)
            {
                if (FileIo.ReadAtMost(_log, buffer.AsSpan(0, RecordBatchHeader.Size), position) < RecordBatchHeader.Size)
                {
                    break;
                }

                var batch = BatchInfo.Parse(buffer, position);
                if (batch.CheckHeader() is not null || batch.Size > length - position || batch.BaseOffset < next || batch.LastOffset - BaseOffset > int.MaxValue)
                {
                    break;
                }

                if (buffer.Length < batch.Size)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = ArrayPool<byte>.Shared.Rent(batch.Size);
                }

                var bytes = buffer.AsSpan(0, batch.Size);
                if (FileIo.ReadAtMost(_log, bytes, position) != batch.Size || BatchValidator.Validate(bytes) is not null)
                {
                    break;
                }

                IndexBatch(batch, indexIntervalBytes);
                position += batch.Size;
                next = batch.NextOffset;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        var fileLength = RandomAccess.GetLength(_log);
        if (fileLength > position)
        {
            RandomAccess.SetLength(_log, position);
        }

        _size = (int)position;
        _tail = new SegmentFileTail(position);
        _nextOffset = next;
        return fileLength - position;
    }

    /// <summary>
    /// Writes whole batches (offsets already final) at the end of the segment, publishes the
    /// new size, then indexes them. Header fields are read from the bytes; records are not touched.
    /// Written bytes further than <see cref="LogConfig.PageCacheRetainBytes"/> behind the end leave the page cache.
    /// </summary>
    public void Append(ReadOnlySpan<byte> batches, LogConfig config, long nowMs)
    {
        var position = _size;
        _tail.BeforeWrite(_log, position, batches.Length, config.SegmentBytes);
        RandomAccess.Write(_log, batches, position);
        if (FirstAppendMs < 0)
        {
            FirstAppendMs = nowMs;
        }

        // Publish first: an index entry must never point past what readers may read.
        var last = BatchInfo.Parse(LastBatch(batches), 0);
        Volatile.Write(ref _nextOffset, last.NextOffset);
        Volatile.Write(ref _size, position + batches.Length);

        var offset = 0;
        while (offset < batches.Length)
        {
            var batch = BatchInfo.Parse(batches[offset..], position + offset);
            IndexBatch(batch, config.IndexIntervalBytes);
            offset += batch.Size;
        }

        _tail.Appended(_log, position + batches.Length, config.PageCacheRetainBytes);
    }

    /// <summary>Reads stored bytes at <paramref name="position"/>; returns the count read (short at the end).</summary>
    public int Read(long position, Span<byte> destination) => FileIo.ReadAtMost(_log, destination, position);

    /// <summary>
    /// Reads whole batches starting with <paramref name="first"/> into a pooled buffer: up to
    /// <paramref name="maxBytes"/> (or the first batch whole when <paramref name="minOneBatch"/>),
    /// only batches ending below <paramref name="limit"/>.
    /// </summary>
    public LogReadResult ReadBatches(BatchInfo first, int maxBytes, long limit, bool minOneBatch, long logStart, long logEnd)
    {
        var available = Size - first.Position;
        var length = (int)Math.Min(Math.Max(maxBytes, 0), available);
        if (length < first.Size)
        {
            if (!minOneBatch)
            {
                return LogReadResult.Empty(ReadStatus.Ok, logStart, logEnd);
            }

            length = first.Size;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(length);
        var read = Read(first.Position, buffer.AsSpan(0, length));

        // Keep whole batches below the limit only.
        var end = 0;
        while (end + RecordBatchHeader.Size <= read)
        {
            var batch = buffer.AsSpan(end, read - end);
            var size = RecordBatchHeader.TotalSize(batch);
            if (size < RecordBatchHeader.Size || size > read - end || RecordBatchHeader.LastOffset(batch) >= limit)
            {
                break;
            }

            end += size;
        }

        if (end == 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            return LogReadResult.Empty(ReadStatus.Ok, logStart, logEnd);
        }

        return new LogReadResult(ReadStatus.Ok, logStart, logEnd, buffer, end, first.BaseOffset, BaseOffset, first.Position);
    }

    /// <summary>The first batch whose last offset is at or after <paramref name="offset"/>, from the index then a short scan.</summary>
    public BatchInfo? FindBatch(long offset)
    {
        var start = OffsetIndex.Lookup(offset).Position;
        var end = Size; // read after the index: any entry seen is below this size
        using var scanner = new SegmentScanner(_log, start, end);
        while (scanner.Next(out var batch) == ScanStatus.Batch)
        {
            if (batch.LastOffset >= offset)
            {
                return batch;
            }
        }

        return null;
    }

    /// <summary>Calls <paramref name="visit"/> for each batch header from <paramref name="fromOffset"/>; stops when it returns false.</summary>
    public void ScanBatches(long fromOffset, Func<BatchInfo, bool> visit)
    {
        var start = OffsetIndex.Lookup(fromOffset).Position;
        using var scanner = new SegmentScanner(_log, start, Size);
        while (scanner.Next(out var batch) == ScanStatus.Batch)
        {
            if (batch.LastOffset >= fromOffset && !visit(batch))
            {
                return;
            }
        }
    }

    /// <summary>
    /// The first record at or after <paramref name="startingOffset"/> whose timestamp is at
    /// least <paramref name="timestamp"/>: the time index skips older data, a scan finds the
    /// batch, and the batch's records give the exact record (batch level if it cannot be decoded).
    /// </summary>
    public (long Offset, long Timestamp)? FindOffsetByTimestamp(long timestamp, long startingOffset)
    {
        var below = TimeIndex.LookupBelow(timestamp);
        var from = Math.Max(below is null ? BaseOffset : below.Offset + 1, startingOffset);
        BatchInfo? found = null;
        ScanBatches(from, batch =>
        {
            if (batch.MaxTimestamp >= timestamp)
            {
                found = batch;
                return false;
            }

            return true;
        });

        if (found is not { } hit)
        {
            return null;
        }

        return FindRecord(hit, startingOffset, ts => ts >= timestamp) ?? (Math.Max(hit.BaseOffset, startingOffset), hit.MaxTimestamp);
    }

    /// <summary>The first record of <paramref name="batch"/> at or after <paramref name="startingOffset"/> whose timestamp matches, decoding the batch.</summary>
    public (long Offset, long Timestamp)? FindRecord(BatchInfo batch, long startingOffset, Func<long, bool> matches)
    {
        var bytes = new byte[batch.Size];
        if (Read(batch.Position, bytes) != bytes.Length || batch.IsControl)
        {
            return null;
        }

        var logAppendTime = RecordBatchHeader.IsLogAppendTime(batch.Attributes);
        var scratch = new ArrayBufferWriter<byte>();
        if (!BatchPayload.TryGetRecords(bytes, scratch, out var records))
        {
            return null;
        }

        var reader = new RecordReader(records, batch.RecordCount);
        while (reader.TryRead(out var record))
        {
            var offset = batch.BaseOffset + record.OffsetDelta;
            var ts = logAppendTime ? batch.MaxTimestamp : batch.BaseTimestamp + record.TimestampDelta;
            if (offset >= startingOffset && matches(ts))
            {
                return (offset, ts);
            }
        }

        return null;
    }

    /// <summary>
    /// Removes every batch whose last offset is at or after <paramref name="offset"/>. Returns
    /// the base offset of the first removed batch, or null when nothing was removed.
    /// </summary>
    public long? TruncateTo(long offset)
    {
        if (FindBatch(offset) is not { } first)
        {
            return null;
        }

        var position = (int)first.Position;
        OffsetIndex.TruncateToPosition(position);
        TimeIndex.TruncateToOffset(first.BaseOffset);
        TxnIndex.TruncateTo(first.BaseOffset);
        RandomAccess.SetLength(_log, position);
        _tail.Truncated(position);

        // Recompute the end state from the last surviving index entry.
        var start = OffsetIndex.LastEntry.Position;
        var next = BaseOffset;
        long maxTimestamp = TimeIndex.LastEntry.Timestamp, offsetOfMax = TimeIndex.LastEntry.Offset;
        using (var scanner = new SegmentScanner(_log, start, position))
        {
            while (scanner.Next(out var batch) == ScanStatus.Batch)
            {
                next = batch.NextOffset;
                if (batch.MaxTimestamp > maxTimestamp)
                {
                    maxTimestamp = batch.MaxTimestamp;
                    offsetOfMax = batch.LastOffset;
                }
            }
        }

        MaxTimestamp = maxTimestamp;
        OffsetOfMaxTimestamp = offsetOfMax;
        _bytesSinceLastIndexEntry = position - start;
        Volatile.Write(ref _size, position);
        Volatile.Write(ref _nextOffset, Math.Max(next, BaseOffset));
        return first.BaseOffset;
    }

    /// <summary>Called when the segment stops being active: records its largest timestamp in the time index.</summary>
    public void Seal()
    {
        ReleaseUnusedSpace();
        if (MaxTimestamp >= 0)
        {
            TimeIndex.MaybeAppend(MaxTimestamp, OffsetOfMaxTimestamp);
        }
    }

    public void Flush()
    {
        RandomAccess.FlushToDisk(_log);
        OffsetIndex.Flush();
        TimeIndex.Flush();
        TxnIndex.Flush();
    }

    /// <summary>Renames all three files to carry <paramref name="suffix"/> (handles stay open).</summary>
    public void ChangeSuffix(string suffix)
    {
        var oldLog = SegmentFiles.LogPath(_directory, BaseOffset, Suffix);
        var newLog = SegmentFiles.LogPath(_directory, BaseOffset, suffix);
        OffsetIndex.Rename(SegmentFiles.IndexPath(_directory, BaseOffset, suffix));
        TimeIndex.Rename(SegmentFiles.TimeIndexPath(_directory, BaseOffset, suffix));
        TxnIndex.Rename(SegmentFiles.TxnIndexPath(_directory, BaseOffset, suffix));
        File.Move(oldLog, newLog, overwrite: true);
        Suffix = suffix;
    }

    /// <summary>Renames only the log file (the commit point of a compaction swap).</summary>
    public void ChangeLogSuffix(string suffix)
    {
        File.Move(SegmentFiles.LogPath(_directory, BaseOffset, Suffix), SegmentFiles.LogPath(_directory, BaseOffset, suffix), overwrite: true);
        Suffix = suffix;
    }

    /// <summary>Closes the files and removes them from disk.</summary>
    public void DeleteFiles()
    {
        var logPath = LogPath;
        Dispose();
        File.Delete(logPath);
        File.Delete(OffsetIndex.Path);
        File.Delete(TimeIndex.Path);
        File.Delete(TxnIndex.Path);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }

        ReleaseUnusedSpace();
        _log.Dispose();
        OffsetIndex.Dispose();
        TimeIndex.Dispose();
        TxnIndex.Dispose();
    }

    /// <summary>Gives back the disk space reserved past the end (a no-op unless this segment reserved some).</summary>
    private void ReleaseUnusedSpace()
    {
        var size = Size;
        if (!_tail.HasUnusedSpace(size) || _log.IsClosed)
        {
            return;
        }

        try
        {
            RandomAccess.SetLength(_log, size);
            _tail.Truncated(size);
        }
        catch (IOException)
        {
            // Only disk space is at stake (until the segment is deleted); the data is untouched.
        }
    }

    private static ReadOnlySpan<byte> LastBatch(ReadOnlySpan<byte> batches)
    {
        var offset = 0;
        while (true)
        {
            var size = RecordBatchHeader.TotalSize(batches[offset..]);
            if (offset + size >= batches.Length)
            {
                return batches[offset..];
            }

            offset += size;
        }
    }

    private void IndexBatch(BatchInfo batch, int indexIntervalBytes)
    {
        if (batch.MaxTimestamp > MaxTimestamp)
        {
            MaxTimestamp = batch.MaxTimestamp;
            OffsetOfMaxTimestamp = batch.LastOffset;
        }

        if (_bytesSinceLastIndexEntry > indexIntervalBytes)
        {
            OffsetIndex.Append(batch.LastOffset, (int)batch.Position);
            if (MaxTimestamp >= 0)
            {
                TimeIndex.MaybeAppend(MaxTimestamp, OffsetOfMaxTimestamp);
            }

            _bytesSinceLastIndexEntry = 0;
        }

        _bytesSinceLastIndexEntry += batch.Size;
    }
}
