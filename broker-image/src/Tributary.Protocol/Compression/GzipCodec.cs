using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using Tributary.Protocol.Checksums;
using Tributary.Protocol.Records;

namespace Tributary.Protocol.Compression;

/// <summary>
/// Gzip (RFC 1952) as the Java client, librdkafka and kafka-python write it: one member.
/// Inflation is System.IO.Compression's; because GZipStream silently accepts a truncated
/// stream, the member's trailer (CRC-32 and length of the output) is checked here, which also
/// means input of several concatenated members is refused as corrupt (no Kafka client writes it).
/// </summary>
public sealed class GzipCodec : ICompressionCodec
{
    private const int HeaderSize = 10;
    private const int TrailerSize = 8;
    private const int Chunk = 16 * 1024;

    /// <summary>A complete gzip member of no data: GZipStream writes nothing at all for empty input.</summary>
    private static ReadOnlySpan<byte> EmptyMember => [0x1F, 0x8B, 0x08, 0, 0, 0, 0, 0, 0, 0xFF, 0x03, 0x00, 0, 0, 0, 0, 0, 0, 0, 0];

    public CompressionType Type => CompressionType.Gzip;

    public void Compress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination)
    {
        if (source.IsEmpty)
        {
            destination.Write(EmptyMember);
            return;
        }

        using var sink = new BufferWriterStream(destination);
        using var gzip = new GZipStream(sink, CompressionLevel.Optimal, leaveOpen: true);
        gzip.Write(source);
    }

    public unsafe int Decompress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination, int maxOutputBytes)
    {
        if (source.Length < HeaderSize + TrailerSize || source[0] != 0x1F || source[1] != 0x8B || source[2] != 0x08)
        {
            throw CompressionCodecs.Corrupt(Type, "not a gzip member");
        }

        var expectedCrc = BinaryPrimitives.ReadUInt32LittleEndian(source[^TrailerSize..]);
        var expectedSize = BinaryPrimitives.ReadUInt32LittleEndian(source[^4..]);
        var total = 0;
        var crc = 0u;
        fixed (byte* pointer = source)
        {
            using var input = new UnmanagedMemoryStream(pointer, source.Length);
            using var gzip = new GZipStream(input, CompressionMode.Decompress);
            try
            {
                Span<byte> probe = stackalloc byte[1];
                while (true)
                {
                    var room = maxOutputBytes - total;
                    if (room == 0)
                    {
                        if (gzip.Read(probe) != 0)
                        {
                            throw CompressionCodecs.TooLarge(maxOutputBytes);
                        }

                        break;
                    }

                    var span = destination.GetSpan(Math.Min(Chunk, room));
                    span = span[..Math.Min(span.Length, room)];
                    var read = gzip.Read(span);
                    if (read == 0)
                    {
                        break;
                    }

                    crc = Crc32Ieee.Append(crc, span[..read]);
                    destination.Advance(read);
                    total += read;
                }
            }
            catch (InvalidDataException e)
            {
                throw CompressionCodecs.Corrupt(Type, e.Message);
            }
        }

        if (crc != expectedCrc || (uint)total != expectedSize)
        {
            throw CompressionCodecs.Corrupt(Type, "truncated or damaged: the trailer's CRC-32 or length does not match the output");
        }

        return total;
    }
}
