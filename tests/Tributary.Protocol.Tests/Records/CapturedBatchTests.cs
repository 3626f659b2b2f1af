using System.Buffers.Binary;
using Tributary.Protocol.Compression;
using Tributary.Protocol.Records;
using Tributary.TestSupport;
using Xunit;

namespace Tributary.Protocol.Tests.Records;

/// <summary>Batches kcat (librdkafka 2.0.2) compressed, checked in under TestData (tools/capture-batches.sh).</summary>
public class CapturedBatchTests
{
    public static TheoryData<string> Codecs => new(KcatCapture.Codecs);

    private static byte[] Load(string codec) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", KcatCapture.FileName(codec)));

    [Theory]
    [MemberData(nameof(Codecs))]
    public void CapturedBatchDecodesToTheSample(string codec) => CapturedBatchAssertions.AssertHoldsSample(Load(codec), codec);

    [Theory]
    [MemberData(nameof(Codecs))]
    public void OurCodecRecompressesTheCapturedRecords(string codec)
    {
        var records = CapturedBatchAssertions.AssertHoldsSample(Load(codec), codec);
        var type = CapturedBatchAssertions.TypeOf(codec);
        using var compressed = new PooledBufferWriter();
        CompressionCodecs.Get(type).Compress(records, compressed);
        using var output = new PooledBufferWriter();
        CompressionCodecs.Get(type).Decompress(compressed.WrittenSpan, output, records.Length);
        Assert.True(output.WrittenSpan.SequenceEqual(records));
    }

    [Fact]
    public void LibrdkafkaWritesRawSnappy()
    {
        var batch = new RecordBatch(Load("snappy"));
        Assert.False(SnappyCodec.IsXerialFramed(batch.RecordsSection));
    }

    [Fact]
    public void LibrdkafkaZstdFrameHasNoContentSize()
    {
        // This is the case that needs streaming decompression.
        var section = new RecordBatch(Load("zstd")).RecordsSection;
        Assert.Equal(0xFD2FB528u, BinaryPrimitives.ReadUInt32LittleEndian(section));
        var descriptor = section[4];
        Assert.Equal(0, descriptor & 0xC0); // frame content size flag
        Assert.Equal(0, descriptor & 0x20); // not single-segment, so no size is implied either
    }

    [Fact]
    public void CorruptedCapturedBatchFailsValidation()
    {
        var bytes = Load("lz4");
        bytes[^3] ^= 0x10;
        Assert.Equal(RecordBatchError.CorruptMessage, RecordBatchValidator.Validate(bytes).Error);
    }
}
