using System.Buffers.Binary;

namespace Tributary.Broker.Network;

/// <summary>
/// The three fields every Kafka request header starts with (all header versions): enough to route,
/// account and log a request. The dispatcher parses the full header (client id, tagged fields).
/// </summary>
public readonly record struct RequestHeaderPrefix(short ApiKey, short ApiVersion, int CorrelationId)
{
    /// <summary>Bytes needed: api key (2) + api version (2) + correlation id (4).</summary>
    public const int Size = 8;

    /// <summary>Reads the prefix from the start of a frame; false when the frame is too short.</summary>
    public static bool TryRead(ReadOnlySpan<byte> frame, out RequestHeaderPrefix prefix)
    {
        if (frame.Length < Size)
        {
            prefix = default;
            return false;
        }

        prefix = new RequestHeaderPrefix(
            BinaryPrimitives.ReadInt16BigEndian(frame),
            BinaryPrimitives.ReadInt16BigEndian(frame[2..]),
            BinaryPrimitives.ReadInt32BigEndian(frame[4..]));
        return true;
    }
}
