using System.Buffers.Binary;
using Tributary.Protocol.Compression;
using Tributary.Protocol.Primitives;
using Tributary.Protocol.Records;
using Xunit;

namespace Tributary.Protocol.Tests.Compression;

public class CodecTests
{
    public static TheoryData<CompressionType> Codecs => new() { CompressionType.Gzip, CompressionType.Snappy, CompressionType.Lz4, CompressionType.Zstd };

    public static TheoryData<CompressionType, int, bool> RoundTripCases()
    {
        var data = new TheoryData<CompressionType, int, bool>();
        foreach (var codec in new[] { CompressionType.Gzip, CompressionType.Snappy, CompressionType.Lz4, CompressionType.Zstd })
        {
            foreach (var size in new[] { 0, 1, 1000, 65_536, 200_000 })
            {
                data.Add(codec, size, true);
                data.Add(codec, size, false);
            }
        }

        return data;
    }

    private static byte[] Sample(int size, bool compressible)
    {
        var bytes = new byte[size];
        var random = new Random(size);
        if (compressible)
        {
            // Repeating text with a random byte every 64: compresses well, but not trivially.
            for (var i = 0; i < size; i++)
            {
                bytes[i] = i % 64 == 63 ? (byte)random.Next(256) : (byte)"tributary record batch "[i % 23];
            }
        }
        else
        {
            random.NextBytes(bytes);
        }

        return bytes;
    }

    private static byte[] Compress(CompressionType type, ReadOnlySpan<byte> data)
    {
        using var output = new PooledBufferWriter();
        CompressionCodecs.Get(type).Compress(data, output);
        return output.WrittenSpan.ToArray();
    }

    private static byte[] Decompress(CompressionType type, ReadOnlySpan<byte> data, int max = 1 << 24)
    {
        using var output = new PooledBufferWriter(16);
        var written = CompressionCodecs.Get(type).Decompress(data, output, max);
        Assert.Equal(output.WrittenCount, written);
        return output.WrittenSpan.ToArray();
    }

    [Theory]
    [MemberData(nameof(RoundTripCases))]
    public void RoundTrips(CompressionType type, int size, bool compressible)
    {
        var data = Sample(size, compressible);
        var compressed = Compress(type, data);
        if (compressible && size >= 1000)
        {
            Assert.True(compressed.Length < size / 2, $"{type} compressed {size} bytes only to {compressed.Length}");
        }

        Assert.Equal(data, Decompress(type, compressed));
    }

    [Theory]
    [MemberData(nameof(Codecs))]
    public void DecompressionBombIsRefused(CompressionType type)
    {
        var compressed = Compress(type, new byte[1 << 20]);
        var error = Assert.Throws<ProtocolException>(() => Decompress(type, compressed, 100_000));
        Assert.Equal(ProtocolError.CorruptRecord, error.Error);
        Assert.Contains("limit", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Codecs))]
    public void OutputOfExactlyTheLimitIsAllowed(CompressionType type)
    {
        var data = Sample(70_000, compressible: true);
        var compressed = Compress(type, data);
        Assert.Equal(data, Decompress(type, compressed, data.Length));
        Assert.Throws<ProtocolException>(() => Decompress(type, compressed, data.Length - 1));
    }

    [Theory]
    [MemberData(nameof(Codecs))]
    public void GarbageIsATypedError(CompressionType type)
    {
        var garbage = new byte[300];
        new Random(3).NextBytes(garbage);
        var error = Assert.Throws<ProtocolException>(() => Decompress(type, garbage));
        Assert.Equal(ProtocolError.CorruptRecord, error.Error);
    }

    [Theory]
    [MemberData(nameof(Codecs))]
    public void TruncatedInputIsATypedError(CompressionType type)
    {
        var compressed = Compress(type, Sample(50_000, compressible: false));
        foreach (var keep in new[] { 1, compressed.Length / 2, compressed.Length - 1 })
        {
            var error = Assert.Throws<ProtocolException>(() => Decompress(type, compressed.AsSpan(0, keep)));
            Assert.Equal(ProtocolError.CorruptRecord, error.Error);
        }
    }

    [Theory]
    [InlineData(CompressionType.Lz4)]
    [InlineData(CompressionType.Zstd)]
    public void ConcatenatedFramesDecodeAsOne(CompressionType type)
    {
        var first = Sample(5000, compressible: true);
        var second = Sample(7000, compressible: false);
        byte[] both = [.. Compress(type, first), .. Compress(type, second)];
        Assert.Equal([.. first, .. second], Decompress(type, both));
    }

    [Fact]
    public void GzipChecksTheTrailer()
    {
        var compressed = Compress(CompressionType.Gzip, Sample(5000, compressible: true));
        compressed[^6] ^= 0x01; // CRC-32 of the output
        Assert.Equal(ProtocolError.CorruptRecord, Assert.Throws<ProtocolException>(() => Decompress(CompressionType.Gzip, compressed)).Error);
    }

    [Fact]
    public void GzipOfNothingIsAValidMember()
    {
        var compressed = Compress(CompressionType.Gzip, []);
        Assert.Equal(20, compressed.Length);
        using var gzip = new System.IO.Compression.GZipStream(new MemoryStream(compressed), System.IO.Compression.CompressionMode.Decompress);
        Assert.Equal(-1, gzip.ReadByte());
    }

    [Fact]
    public void SnappyWritesXerialFramingLikeTheJavaClient()
    {
        var data = Sample(100_000, compressible: true);
        var compressed = Compress(CompressionType.Snappy, data);
        Assert.True(SnappyCodec.IsXerialFramed(compressed));
        Assert.Equal([0x82, (byte)'S', (byte)'N', (byte)'A', (byte)'P', (byte)'P', (byte)'Y', 0], compressed[..8]);
        Assert.Equal(1, BinaryPrimitives.ReadInt32BigEndian(compressed.AsSpan(8)));
        Assert.Equal(1, BinaryPrimitives.ReadInt32BigEndian(compressed.AsSpan(12)));

        // 100 000 bytes in 32 KiB blocks: four length-prefixed blocks.
        var blocks = 0;
        var rest = compressed.AsSpan(16);
        while (!rest.IsEmpty)
        {
            rest = rest[(4 + BinaryPrimitives.ReadInt32BigEndian(rest))..];
            blocks++;
        }

        Assert.Equal(4, blocks);
    }

    [Fact]
    public void SnappyReadsRawBlocksLikeLibrdkafkaWrites()
    {
        var data = Sample(10_000, compressible: true);
        var raw = IronSnappy.Snappy.Encode(data);
        Assert.False(SnappyCodec.IsXerialFramed(raw));
        Assert.Equal(data, Decompress(CompressionType.Snappy, raw));
    }

    [Fact]
    public void SnappyXerialBlockLengthPastTheEndIsCorrupt()
    {
        var compressed = Compress(CompressionType.Snappy, Sample(1000, compressible: true));
        BinaryPrimitives.WriteInt32BigEndian(compressed.AsSpan(16), compressed.Length);
        Assert.Equal(ProtocolError.CorruptRecord, Assert.Throws<ProtocolException>(() => Decompress(CompressionType.Snappy, compressed)).Error);
    }

    [Fact]
    public void Lz4FramesUseIndependentSixtyFourKilobyteBlocks()
    {
        var compressed = Compress(CompressionType.Lz4, Sample(200_000, compressible: true));
        Assert.Equal(0x184D2204u, BinaryPrimitives.ReadUInt32LittleEndian(compressed));
        var flags = compressed[4];
        Assert.Equal(0x40, flags & 0xC0);          // version 01
        Assert.NotEqual(0, flags & 0x20);          // block independence (the Java decoder needs it)
        Assert.Equal(0, flags & 0x08);             // no content size
        Assert.Equal(0x40, compressed[5] & 0x70);  // 64 KiB maximum block size
    }

    [Fact]
    public void NoneAndUnknownCodecsHaveNoCodec()
    {
        Assert.Equal(ProtocolError.UnsupportedCompression, Assert.Throws<ProtocolException>(() => CompressionCodecs.Get(CompressionType.None)).Error);
        Assert.Equal(ProtocolError.UnsupportedCompression, Assert.Throws<ProtocolException>(() => CompressionCodecs.Get((CompressionType)6)).Error);
        Assert.True(CompressionCodecs.IsKnown(CompressionType.Zstd));
        Assert.False(CompressionCodecs.IsKnown((CompressionType)5));
    }

    [Fact]
    public void MissingNativeLibraryNamesThePackage()
    {
        var error = Assert.Throws<CompressionUnavailableException>(() => NativeCodecLibrary.Load("lz4", "liblz4-1", "libdoes-not-exist.so.9"));
        Assert.Contains("libdoes-not-exist.so.9", error.Message, StringComparison.Ordinal);
        Assert.Contains("liblz4-1", error.Message, StringComparison.Ordinal);
    }
}
