using Tributary.Protocol.Records;
using Xunit;
using static Tributary.Protocol.Tests.Records.BatchSamples;

namespace Tributary.Protocol.Tests.Records;

public class RecordBatchValidatorTests
{
    [Fact]
    public void ValidBatchPasses()
    {
        var result = RecordBatchValidator.ValidateProduce(Build(), 3);
        Assert.True(result.IsValid);
        Assert.Null(result.Message);
    }

    [Fact]
    public void AnyFlippedBitFailsTheCrc()
    {
        var batch = Build();
        for (var i = RecordBatchHeader.AttributesOffset; i < batch.Length; i++)
        {
            var corrupt = (byte[])batch.Clone();
            corrupt[i] ^= 0x04;
            Assert.Equal(RecordBatchError.CorruptMessage, RecordBatchValidator.Validate(corrupt).Error);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void LegacyMagicIsAnInvalidRecord(byte magic)
    {
        var batch = Build();
        batch[RecordBatchHeader.MagicOffset] = magic;
        var result = RecordBatchValidator.ValidateProduce(batch, 3);
        Assert.Equal(RecordBatchError.InvalidRecord, result.Error);
        Assert.Contains("magic", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LegacyMessageSetIsAnInvalidRecord()
    {
        // offset 0, size 14, crc, magic 0, attributes 0, key -1, value -1: a v0 message.
        byte[] message = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 14, 1, 2, 3, 4, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF];
        Assert.Equal(RecordBatchError.InvalidRecord, RecordBatchValidator.ValidateProduce(message, 3).Error);
    }

    [Fact]
    public void UnknownMagicIsCorrupt()
    {
        var batch = Build();
        batch[RecordBatchHeader.MagicOffset] = 3;
        Assert.Equal(RecordBatchError.CorruptMessage, RecordBatchValidator.Validate(batch).Error);
    }

    [Fact]
    public void BatchLengthMustMatchTheBuffer()
    {
        var batch = Build();
        var length = RecordBatchHeader.BatchLength(batch);
        Assert.Equal(RecordBatchError.CorruptMessage, RecordBatchValidator.Validate(WithInt32(batch, 8, length + 1)).Error);
        Assert.Equal(RecordBatchError.CorruptMessage, RecordBatchValidator.Validate(WithInt32(batch, 8, length - 1)).Error);
        Assert.Equal(RecordBatchError.CorruptMessage, RecordBatchValidator.ValidateProduce(WithInt32(batch, 8, length + 1), 3).Error);
        Assert.Equal(RecordBatchError.CorruptMessage, RecordBatchValidator.ValidateProduce(WithInt32(batch, 8, 10), 3).Error);
        Assert.Equal(RecordBatchError.CorruptMessage, RecordBatchValidator.ValidateProduce(WithInt32(batch, 8, -5), 3).Error);
        Assert.Equal(RecordBatchError.CorruptMessage, RecordBatchValidator.Validate(batch.AsSpan(0, 40)).Error);
        Assert.Equal(RecordBatchError.CorruptMessage, RecordBatchValidator.ValidateProduce(batch.AsSpan(0, 8), 3).Error);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(7)]
    public void UnknownCodecIsUnsupported(short codec)
    {
        var batch = Reseal(WithInt16(Build(), RecordBatchHeader.AttributesOffset, codec));
        Assert.Equal(RecordBatchError.UnsupportedCompressionType, RecordBatchValidator.Validate(batch).Error);
    }

    [Fact]
    public void ZstdNeedsProduceVersionSeven()
    {
        var batch = Build(CompressionType.Zstd);
        Assert.Equal(RecordBatchError.UnsupportedCompressionType, RecordBatchValidator.ValidateProduce(batch, 6).Error);
        Assert.True(RecordBatchValidator.ValidateProduce(batch, 7).IsValid);
    }

    [Fact]
    public void ProduceCarriesExactlyOneBatch()
    {
        var batch = Build();
        Assert.Equal(RecordBatchError.InvalidRecord, RecordBatchValidator.ValidateProduce([.. batch, .. batch], 3).Error);
        Assert.Equal(RecordBatchError.InvalidRecord, RecordBatchValidator.ValidateProduce([], 3).Error);
    }

    [Fact]
    public void OffsetRangeMustMatchTheCount()
    {
        var batch = Build();
        Assert.Equal(RecordBatchError.InvalidRecord,
            RecordBatchValidator.ValidateProduce(Reseal(WithInt32(batch, RecordBatchHeader.LastOffsetDeltaOffset, 5)), 3).Error);
        Assert.Equal(RecordBatchError.InvalidRecord,
            RecordBatchValidator.Validate(Reseal(WithInt32(batch, RecordBatchHeader.RecordCountOffset, 4))).Error);
        Assert.Equal(RecordBatchError.InvalidRecord,
            RecordBatchValidator.Validate(Reseal(WithInt32(batch, RecordBatchHeader.RecordCountOffset, -1))).Error);
        Assert.Equal(RecordBatchError.InvalidRecord,
            RecordBatchValidator.ValidateProduce(Reseal(WithInt32(WithInt32(batch, RecordBatchHeader.RecordCountOffset, 0), RecordBatchHeader.LastOffsetDeltaOffset, -1)), 3).Error);
    }

    [Fact]
    public void RecordCountTheBytesCannotHoldIsCorrupt()
    {
        var batch = Reseal(WithInt32(WithInt32(Build(), RecordBatchHeader.RecordCountOffset, 1000), RecordBatchHeader.LastOffsetDeltaOffset, 999));
        Assert.Equal(RecordBatchError.CorruptMessage, RecordBatchValidator.Validate(batch).Error);
    }

    [Fact]
    public void MissingRecordsWithAValidCrcAreCorrupt()
    {
        // Claims 4 records (offsets 0..3) but holds 3.
        var batch = Reseal(WithInt32(WithInt32(Build(), RecordBatchHeader.RecordCountOffset, 4), RecordBatchHeader.LastOffsetDeltaOffset, 3));
        Assert.True(RecordBatchValidator.Validate(batch).IsValid);
        Assert.Equal(RecordBatchError.CorruptMessage, RecordBatchValidator.ValidateProduce(batch, 3).Error);
    }

    [Fact]
    public void GarbledRecordWithAValidCrcIsCorrupt()
    {
        var batch = Build();
        batch[RecordBatchHeader.Size] = 0x7F; // first record's length becomes -64
        Assert.Equal(RecordBatchError.CorruptMessage, RecordBatchValidator.ValidateProduce(Reseal(batch), 3).Error);
    }

    [Fact]
    public void ControlBatchesFromClientsAreRejected()
    {
        var marker = RecordBatchBuilder.EndTransactionMarker(0, 1, 0, 0, true, 0);
        Assert.Equal(RecordBatchError.InvalidRecord, RecordBatchValidator.ValidateProduce(marker, 3).Error);
    }

    [Fact]
    public void BatchAboveTheSizeLimitIsTooLarge()
    {
        var batch = Build();
        Assert.Equal(RecordBatchError.MessageTooLarge, RecordBatchValidator.ValidateProduce(batch, 3, batch.Length - 1).Error);
        Assert.True(RecordBatchValidator.ValidateProduce(batch, 3, batch.Length).IsValid);
    }

    [Fact]
    public void ErrorCodesAreKafkas()
    {
        Assert.Equal(2, (short)RecordBatchError.CorruptMessage);
        Assert.Equal(10, (short)RecordBatchError.MessageTooLarge);
        Assert.Equal(76, (short)RecordBatchError.UnsupportedCompressionType);
        Assert.Equal(87, (short)RecordBatchError.InvalidRecord);
    }
}
