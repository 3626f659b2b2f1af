using System.Buffers;
using System.Runtime.InteropServices;
using Tributary.Protocol.Primitives;

namespace Tributary.Broker.Network;

/// <summary>
/// One response payload (response header + body, without the 4-byte size prefix, which the
/// server writes) in a pooled buffer. Created by a handler, owned by the server once returned from
/// <see cref="IRequestDispatcher.DispatchAsync"/>, and disposed after it is sent.
/// <para>
/// A gathered frame (<see cref="RentGathered"/>) leaves large records fields out of its buffer and
/// sends them from the buffers they were read into (<see cref="IRecordsSink"/>): a fetch of
/// record batches is then copied once, from the page cache into the read buffer, before the
/// socket takes it, instead of twice. Those buffers stay in use until the frame is disposed,
/// which is when it runs the release action it was given.
/// </para>
/// </summary>
public sealed class ResponseFrame : IDisposable, IRecordsSink
{
    /// <summary>
    /// Records fields from this size on are sent from their own buffers (smaller ones are copied:
    /// a gather entry costs more than copying a few KiB).
    /// </summary>
    public const int GatherMinBytes = 16 * 1024;

    private readonly int _inlineLength;
    private byte[]? _buffer;
    private List<(int Position, ArraySegment<byte> Records)>? _gathered;
    private Action? _release;

    private ResponseFrame(byte[] buffer, int length, int inlineLength, Action? release)
    {
        _buffer = buffer;
        Length = length;
        _inlineLength = inlineLength;
        _release = release;
    }

    /// <summary>Payload size in bytes (gathered records included).</summary>
    public int Length { get; }

    /// <summary>The frame's own buffer to fill (handlers write it with KafkaWriter); without the gathered records.</summary>
    public Span<byte> Span => Buffer.AsSpan(0, _inlineLength);

    /// <summary>The whole payload, for a frame that gathers nothing (see <see cref="IsGathered"/>).</summary>
    public ReadOnlyMemory<byte> Memory => IsGathered
        ? throw new InvalidOperationException("a gathered frame has no single buffer; use AddSegmentsTo or ToArray")
        : Buffer.AsMemory(0, Length);

    /// <summary>True when some records are sent from their own buffers.</summary>
    public bool IsGathered => _gathered is { Count: > 0 };

    private byte[] Buffer => _buffer ?? throw new ObjectDisposedException(nameof(ResponseFrame));

    /// <summary>A frame of exactly <paramref name="length"/> bytes from the shared pool (contents unspecified).</summary>
    public static ResponseFrame Rent(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        return new ResponseFrame(ArrayPool<byte>.Shared.Rent(Math.Max(length, 1)), length, length, null);
    }

    /// <summary>
    /// A frame of <paramref name="length"/> payload bytes whose buffer holds all but
    /// <paramref name="gatheredBytes"/>: the records fields <see cref="Gathers"/> accepts, which the
    /// writer hands to <see cref="TryTake"/>. <paramref name="release"/> runs on dispose, once the
    /// gathered buffers are no longer needed.
    /// </summary>
    public static ResponseFrame RentGathered(int length, int gatheredBytes, Action release)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(gatheredBytes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(gatheredBytes, length);
        ArgumentNullException.ThrowIfNull(release);
        var inline = length - gatheredBytes;
        return new ResponseFrame(ArrayPool<byte>.Shared.Rent(Math.Max(inline, 1)), length, inline, release);
    }

    /// <summary>A pooled copy of <paramref name="payload"/>.</summary>
    public static ResponseFrame CopyOf(ReadOnlySpan<byte> payload)
    {
        var frame = Rent(payload.Length);
        payload.CopyTo(frame.Span);
        return frame;
    }

    /// <summary>
    /// Whether a gathered frame sends <paramref name="records"/> from their own buffer: the rule
    /// a handler uses to count its gathered bytes and <see cref="TryTake"/> applies, so both agree.
    /// </summary>
    public static bool Gathers(ReadOnlyMemory<byte>? records) =>
        records is { Length: >= GatherMinBytes } memory && MemoryMarshal.TryGetArray(memory, out _);

    bool IRecordsSink.TryTake(int position, ReadOnlyMemory<byte> records)
    {
        if (_release is null || !Gathers(records))
        {
            return false;
        }

        MemoryMarshal.TryGetArray(records, out var segment);
        (_gathered ??= []).Add((position, segment));
        return true;
    }

    /// <summary>Appends the payload, in order, as segments for one gather write: the frame's own buffer between the gathered records.</summary>
    public void AddSegmentsTo(List<ArraySegment<byte>> segments)
    {
        ArgumentNullException.ThrowIfNull(segments);
        var buffer = Buffer;
        var start = 0;
        foreach (var (position, records) in _gathered ?? [])
        {
            if (position > start)
            {
                segments.Add(new ArraySegment<byte>(buffer, start, position - start));
            }

            segments.Add(records);
            start = position;
        }

        if (_inlineLength > start)
        {
            segments.Add(new ArraySegment<byte>(buffer, start, _inlineLength - start));
        }
    }

    /// <summary>Copies the whole payload into <paramref name="destination"/>.</summary>
    public void CopyTo(Span<byte> destination)
    {
        var segments = new List<ArraySegment<byte>>();
        AddSegmentsTo(segments);
        foreach (var segment in segments)
        {
            segment.AsSpan().CopyTo(destination);
            destination = destination[segment.Count..];
        }
    }

    /// <summary>The whole payload as a new array (tests, and callers that need it contiguous).</summary>
    public byte[] ToArray()
    {
        var bytes = new byte[Length];
        CopyTo(bytes);
        return bytes;
    }

    public void Dispose()
    {
        byte[]? buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        Interlocked.Exchange(ref _release, null)?.Invoke();
    }
}
