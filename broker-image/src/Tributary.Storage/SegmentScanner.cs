using System.Buffers;
using Microsoft.Win32.SafeHandles;
using Tributary.Protocol.Records;

namespace Tributary.Storage;

/// <summary>
/// Walks batch headers of a segment file between two positions, reading the file in chunks
/// from a pooled buffer so a scan costs a few large reads instead of one read per batch.
/// Only headers are examined; batch bodies are skipped.
/// </summary>
internal sealed class SegmentScanner : IDisposable
{
    private const int ChunkSize = 16 * 1024;

    private readonly SafeFileHandle _file;
    private readonly long _end;
    private byte[]? _buffer;
    private long _bufferStart;
    private int _bufferLength;

    public SegmentScanner(SafeFileHandle file, long start, long end)
    {
        _file = file;
        Position = start;
        _end = end;
        _buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
    }

    /// <summary>Where the next batch starts (after a <see cref="ScanStatus.Batch"/>, the end of that batch).</summary>
    public long Position { get; private set; }

    public ScanStatus Next(out BatchInfo batch)
    {
        batch = default;
        if (Position == _end)
        {
            return ScanStatus.End;
        }

        if (_end - Position < RecordBatchHeader.Size)
        {
            return ScanStatus.Truncated;
        }

        var buffer = _buffer ?? throw new ObjectDisposedException(nameof(SegmentScanner));
        if (Position < _bufferStart || Position + RecordBatchHeader.Size > _bufferStart + _bufferLength)
        {
            _bufferStart = Position;
            _bufferLength = FileIo.ReadAtMost(_file, buffer.AsSpan(0, (int)Math.Min(buffer.Length, _end - Position)), Position);
            if (_bufferLength < RecordBatchHeader.Size)
            {
                return ScanStatus.Truncated;
            }
        }

        batch = BatchInfo.Parse(buffer.AsSpan((int)(Position - _bufferStart), RecordBatchHeader.Size), Position);
        if (batch.CheckHeader() is not null)
        {
            return ScanStatus.Corrupt;
        }

        if (batch.Size > _end - Position)
        {
            return ScanStatus.Truncated;
        }

        Position += batch.Size;
        return ScanStatus.Batch;
    }

    public void Dispose()
    {
        if (_buffer is { } buffer)
        {
            _buffer = null;
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
