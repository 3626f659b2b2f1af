using System.Buffers;
using System.Buffers.Binary;
using Tributary.Protocol.Primitives;
using Tributary.Protocol.Records;

namespace Tributary.Protocol.Compression;

/// <summary>
/// Snappy for record batches. Decoding accepts both forms found in the wild: a raw snappy block
/// (librdkafka writes this) and xerial snappy-java framing (the Java client writes this):
/// magic <c>82 'SNAPPY' 00</c>, int32 version, int32 compatible version, then
/// <c>[int32 compressed length][snappy block]*</c>, all big-endian.
/// Encoding writes xerial framing with 32 KiB blocks, exactly like the Java client; every
/// client (Java, librdkafka, kafka-python) reads that form.
/// </summary>
/// <remarks>The block codec is IronSnappy, which returns arrays: one allocation per 32 KiB block.</remarks>
public sealed class SnappyCodec : ICompressionCodec
{
    /// <summary>Xerial's uncompressed block size (snappy-java's default).</summary>
    public const int XerialBlockSize = 32 * 1024;

    private const int XerialHeaderSize = 16;

    private static ReadOnlySpan<byte> XerialMagic => [0x82, (byte)'S', (byte)'N', (byte)'A', (byte)'P', (byte)'P', (byte)'Y', 0];

    public CompressionType Type => CompressionType.Snappy;

    public void Compress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination)
    {
        var header = destination.GetSpan(XerialHeaderSize);
        XerialMagic.CopyTo(header);
        BinaryPrimitives.WriteInt32BigEndian(header[8..], 1);
        BinaryPrimitives.WriteInt32BigEndian(header[12..], 1);
        destination.Advance(XerialHeaderSize);

        while (!source.IsEmpty)
        {
            var chunk = source[..Math.Min(XerialBlockSize, source.Length)];
            source = source[chunk.Length..];
            var block = IronSnappy.Snappy.Encode(chunk);
            var prefix = destination.GetSpan(4);
            BinaryPrimitives.WriteInt32BigEndian(prefix, block.Length);
            destination.Advance(4);
            destination.Write(block);
        }
    }

    /// <summary>True when <paramref name="source"/> starts with the xerial framing header.</summary>
    public static bool IsXerialFramed(ReadOnlySpan<byte> source) =>
        source.Length >= XerialHeaderSize && source.StartsWith(XerialMagic);

    public int Decompress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination, int maxOutputBytes)
    {
        if (!IsXerialFramed(source))
        {
            return DecodeBlock(source, destination, maxOutputBytes);
        }

        var total = 0;
        var rest = source[XerialHeaderSize..];
        while (!rest.IsEmpty)
        {
            if (rest.Length < 4)
            {
                throw CompressionCodecs.Corrupt(Type, "truncated xerial block length");
            }

            var length = BinaryPrimitives.ReadInt32BigEndian(rest);
            if (length < 0 || length > rest.Length - 4)
            {
                throw CompressionCodecs.Corrupt(Type, $"xerial block length {length} exceeds the {rest.Length - 4} bytes left");
            }

            total += DecodeBlock(rest.Slice(4, length), destination, maxOutputBytes - total);
            rest = rest[(4 + length)..];
        }

        return total;
    }

    private int DecodeBlock(ReadOnlySpan<byte> block, IBufferWriter<byte> destination, int maxOutputBytes)
    {
        // The block starts with its uncompressed length, so a bomb is refused before decoding.
        if (Varint.TryReadUnsigned(block, out var declared, out _) != VarintResult.Ok)
        {
            throw CompressionCodecs.Corrupt(Type, "bad block length preamble");
        }

        if (declared > (uint)maxOutputBytes)
        {
            throw CompressionCodecs.TooLarge(maxOutputBytes);
        }

        byte[] decoded;
        try
        {
            decoded = IronSnappy.Snappy.Decode(block);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // IronSnappy reports corrupt input with several exception types.
            throw CompressionCodecs.Corrupt(Type, e.Message);
        }

        if (decoded.Length != declared)
        {
            throw CompressionCodecs.Corrupt(Type, "decoded length differs from the block preamble");
        }

        destination.Write(decoded);
        return decoded.Length;
    }
}
