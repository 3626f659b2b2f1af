using System.Buffers;

namespace Tributary.Broker.Network;

/// <summary>
/// Splits a byte stream into Kafka request frames: a big-endian int32 size, then that many bytes.
/// The size is checked against the limit before anything is buffered or allocated for it.
/// </summary>
public static class FrameDecoder
{
    /// <summary>
    /// Takes the next frame off the front of <paramref name="buffer"/>. On <see cref="FrameStatus.Complete"/>
    /// <paramref name="frame"/> is the payload (size prefix excluded) and <paramref name="buffer"/> is advanced
    /// past it; otherwise <paramref name="buffer"/> is unchanged. <paramref name="declaredSize"/> is the size
    /// prefix whenever one could be read (for error messages).
    /// </summary>
    public static FrameStatus TryRead(ref ReadOnlySequence<byte> buffer, int maxFrameBytes, out ReadOnlySequence<byte> frame, out int declaredSize)
    {
        frame = default;
        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryReadBigEndian(out declaredSize))
        {
            return FrameStatus.NeedMoreData;
        }

        if (declaredSize < 0)
        {
            return FrameStatus.Malformed;
        }

        if (declaredSize > maxFrameBytes)
        {
            return FrameStatus.TooLarge;
        }

        // Every request header starts with api key, api version and correlation id.
        if (declaredSize < RequestHeaderPrefix.Size)
        {
            return FrameStatus.Malformed;
        }

        if (reader.Remaining < declaredSize)
        {
            return FrameStatus.NeedMoreData;
        }

        frame = buffer.Slice(sizeof(int), declaredSize);
        buffer = buffer.Slice(frame.End);
        return FrameStatus.Complete;
    }
}
