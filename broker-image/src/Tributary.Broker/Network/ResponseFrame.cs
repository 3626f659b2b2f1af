using System.Buffers;

namespace Tributary.Broker.Network;

/// <summary>
/// One response payload (response header + body, without the 4-byte size prefix, which the
/// server writes) in a pooled buffer. Created by a handler, owned by the server once returned from
/// <see cref="IRequestDispatcher.DispatchAsync"/>, and disposed after it is sent.
/// </summary>
public sealed class ResponseFrame : IDisposable
{
    private byte[]? _buffer;

    private ResponseFrame(byte[] buffer, int length)
    {
        _buffer = buffer;
        Length = length;
    }

    /// <summary>Payload size in bytes.</summary>
    public int Length { get; }

    /// <summary>The payload to fill (handlers write it with KafkaWriter).</summary>
    public Span<byte> Span => Buffer.AsSpan(0, Length);

    public ReadOnlyMemory<byte> Memory => Buffer.AsMemory(0, Length);

    private byte[] Buffer => _buffer ?? throw new ObjectDisposedException(nameof(ResponseFrame));

    /// <summary>A frame of exactly <paramref name="length"/> bytes from the shared pool (contents unspecified).</summary>
    public static ResponseFrame Rent(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        return new ResponseFrame(ArrayPool<byte>.Shared.Rent(Math.Max(length, 1)), length);
    }

    /// <summary>A pooled copy of <paramref name="payload"/>.</summary>
    public static ResponseFrame CopyOf(ReadOnlySpan<byte> payload)
    {
        var frame = Rent(payload.Length);
        payload.CopyTo(frame.Span);
        return frame;
    }

    public void Dispose()
    {
        byte[]? buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
