using System.Buffers;

namespace Tributary.Storage;

/// <summary>
/// Whole batches read from one segment, in a buffer rented from the shared pool: dispose the
/// result once the bytes are sent. <see cref="SegmentBaseOffset"/>, <see cref="FilePosition"/>
/// and the length of <see cref="Records"/> describe the same bytes as a file region, for a
/// network layer that later sends straight from the segment file.
/// </summary>
public sealed class LogReadResult : IDisposable
{
    private byte[]? _rented;

    internal LogReadResult(ReadStatus status, long logStartOffset, long logEndOffset, byte[]? rented, int length, long firstBatchOffset, long segmentBaseOffset, long filePosition)
    {
        Status = status;
        LogStartOffset = logStartOffset;
        LogEndOffset = logEndOffset;
        _rented = rented;
        Records = rented is null ? ReadOnlyMemory<byte>.Empty : rented.AsMemory(0, length);
        FirstBatchOffset = firstBatchOffset;
        SegmentBaseOffset = segmentBaseOffset;
        FilePosition = filePosition;
    }

    public ReadStatus Status { get; }

    /// <summary>Whole v2 batches, possibly empty. Valid until the result is disposed.</summary>
    public ReadOnlyMemory<byte> Records { get; private set; }

    /// <summary>Base offset of the first batch returned (may be below the fetch offset), -1 when empty.</summary>
    public long FirstBatchOffset { get; }

    public long LogStartOffset { get; }

    public long LogEndOffset { get; }

    /// <summary>The segment the bytes came from, -1 when empty.</summary>
    public long SegmentBaseOffset { get; }

    /// <summary>Byte position of the first batch in the segment file, -1 when empty.</summary>
    public long FilePosition { get; }

    internal static LogReadResult Empty(ReadStatus status, long logStartOffset, long logEndOffset) =>
        new(status, logStartOffset, logEndOffset, null, 0, -1, -1, -1);

    /// <summary>
    /// Hands <see cref="Records"/> over to the caller together with its buffer, which the caller
    /// returns to <see cref="ArrayPool{T}.Shared"/> when done (or leaves to the GC); this result
    /// no longer returns it. Lets a fetch serialize straight from the read buffer instead of a copy.
    /// </summary>
    public ReadOnlyMemory<byte> TakeRecords()
    {
        var records = Records;
        Records = ReadOnlyMemory<byte>.Empty;
        Interlocked.Exchange(ref _rented, null);
        return records;
    }

    public void Dispose()
    {
        Records = ReadOnlyMemory<byte>.Empty;
        if (Interlocked.Exchange(ref _rented, null) is { } rented)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
