using Tributary.Protocol.Compression;
using Tributary.Protocol.Records;
using Xunit;
using static Tributary.Protocol.Tests.Records.BatchSamples;

namespace Tributary.Protocol.Tests.Records;

public class RecordBatchBuilderTests
{
    [Fact]
    public void HeaderFieldsAreWritten()
    {
        var bytes = Build(baseOffset: 100);
        var batch = new RecordBatch(bytes);
        Assert.Equal(100, batch.BaseOffset);
        Assert.Equal(102, batch.LastOffset);
        Assert.Equal(bytes.Length - 12, batch.BatchLength);
        Assert.Equal(9, batch.PartitionLeaderEpoch);
        Assert.Equal(CompressionType.None, batch.Compression);
        Assert.False(batch.IsTransactional);
        Assert.False(batch.IsControl);
        Assert.Equal(2, batch.LastOffsetDelta);
        Assert.Equal(BaseTimestamp, batch.BaseTimestamp);
        Assert.Equal(BaseTimestamp + 250, batch.MaxTimestamp);
        Assert.Equal(4242, batch.ProducerId);
        Assert.Equal(3, batch.ProducerEpoch);
        Assert.Equal(17, batch.BaseSequence);
        Assert.Equal(3, batch.RecordCount);
        Assert.True(batch.IsCrcValid);
        Assert.True(RecordBatchValidator.Validate(bytes).IsValid);
        Assert.True(RecordBatchValidator.ValidateProduce(bytes, 3).IsValid);
    }

    [Fact]
    public void RecordsReadBackInPlace()
    {
        var batch = new RecordBatch(Build());
        var records = batch.Records;

        Assert.True(records.MoveNext());
        var first = records.Current;
        Assert.Equal(0, first.OffsetDelta);
        Assert.Equal(0, first.TimestampDelta);
        Assert.Equal("alpha"u8, first.Key);
        Assert.False(first.IsKeyNull);
        Assert.Equal("first value"u8, first.Value);
        Assert.Equal(2, first.HeaderCount);
        var headers = first.Headers;
        Assert.True(headers.MoveNext());
        Assert.Equal("h1", headers.Current.KeyString());
        Assert.Equal("v1"u8, headers.Current.Value);
        Assert.False(headers.Current.IsValueNull);
        Assert.True(headers.MoveNext());
        Assert.Equal("h2"u8, headers.Current.Key);
        Assert.True(headers.Current.IsValueNull);
        Assert.False(headers.MoveNext());

        Assert.True(records.MoveNext());
        var second = records.Current;
        Assert.Equal(1, second.OffsetDelta);
        Assert.Equal(250, second.TimestampDelta);
        Assert.True(second.IsKeyNull);
        Assert.Equal("no key"u8, second.Value);
        Assert.Equal(0, second.HeaderCount);

        Assert.True(records.MoveNext());
        var third = records.Current;
        Assert.Equal(2, third.OffsetDelta);
        Assert.Equal(-100, third.TimestampDelta);
        Assert.True(third.IsValueNull);
        Assert.False(records.MoveNext());
    }

    [Fact]
    public void SingleRecordHasTheExactWireLayout()
    {
        using var builder = new RecordBatchBuilder();
        builder.Append(1000, Utf8("k"), Utf8("v"));
        var batch = new RecordBatch(builder.ToArray());
        // length 8 (zig-zag 16), attributes, timestampDelta 0, offsetDelta 0, key length 1 (2), 'k', value length 1 (2), 'v', 0 headers
        Assert.Equal(new byte[] { 0x10, 0, 0, 0, 0x02, (byte)'k', 0x02, (byte)'v', 0 }, batch.RecordsSection.ToArray());
        Assert.Equal(-1, batch.ProducerId);
        Assert.Equal(-1, batch.ProducerEpoch);
        Assert.Equal(-1, batch.BaseSequence);
        Assert.Equal(RecordBatchHeader.Size + 9, batch.Bytes.Length);
    }

    [Theory]
    [InlineData(CompressionType.Gzip)]
    [InlineData(CompressionType.Snappy)]
    [InlineData(CompressionType.Lz4)]
    [InlineData(CompressionType.Zstd)]
    public void CompressedBatchesRoundTrip(CompressionType compression)
    {
        var plain = new RecordBatch(Build());
        var bytes = Build(compression);
        var batch = new RecordBatch(bytes);
        Assert.Equal(compression, batch.Compression);
        Assert.True(RecordBatchValidator.ValidateProduce(bytes, 7).IsValid);
        Assert.Throws<InvalidOperationException>(() => new RecordBatch(bytes).Records.MoveNext());

        using var output = new PooledBufferWriter();
        var size = batch.DecompressRecords(output, 1 << 20);
        Assert.Equal(plain.RecordsSection.Length, size);
        Assert.True(plain.RecordsSection.SequenceEqual(output.WrittenSpan));
        var count = 0;
        foreach (var record in new RecordEnumerator(output.WrittenSpan, batch.RecordCount))
        {
            Assert.Equal(count++, record.OffsetDelta);
        }

        Assert.Equal(3, count);
    }

    [Fact]
    public void EndTransactionMarkerIsATransactionalControlBatch()
    {
        var bytes = RecordBatchBuilder.EndTransactionMarker(50, producerId: 77, producerEpoch: 2, coordinatorEpoch: 5, commit: true, timestamp: BaseTimestamp);
        var batch = new RecordBatch(bytes);
        Assert.True(batch.IsControl);
        Assert.True(batch.IsTransactional);
        Assert.Equal(77, batch.ProducerId);
        Assert.Equal(2, batch.ProducerEpoch);
        Assert.Equal(1, batch.RecordCount);
        Assert.True(RecordBatchValidator.Validate(bytes).IsValid);
        Assert.Equal(RecordBatchError.InvalidRecord, RecordBatchValidator.ValidateProduce(bytes, 9).Error);

        var records = batch.Records;
        Assert.True(records.MoveNext());
        Assert.True(ControlRecords.TryReadType(records.Current.Key, out var type));
        Assert.Equal(ControlRecordType.Commit, type);
        Assert.Equal(new byte[] { 0, 0, 0, 1 }, records.Current.Key.ToArray());
        Assert.True(ControlRecords.TryReadCoordinatorEpoch(records.Current.Value, out var epoch));
        Assert.Equal(5, epoch);

        var abort = new RecordBatch(RecordBatchBuilder.EndTransactionMarker(0, 1, 0, 0, commit: false, timestamp: 0)).Records;
        Assert.True(abort.MoveNext());
        Assert.True(ControlRecords.TryReadType(abort.Current.Key, out type));
        Assert.Equal(ControlRecordType.Abort, type);
    }

    [Fact]
    public void TransactionalAndLogAppendTimeFlags()
    {
        using var builder = new RecordBatchBuilder { IsTransactional = true, LogAppendTime = true, ProducerId = 1, ProducerEpoch = 0, BaseSequence = 0 };
        builder.AppendValue(5, "x"u8);
        var batch = new RecordBatch(builder.ToArray());
        Assert.True(batch.IsTransactional);
        Assert.True(batch.IsLogAppendTime);
        Assert.False(batch.IsControl);
        Assert.Equal(0x18, batch.Attributes);
    }

    [Fact]
    public void OffsetGapsAreKept()
    {
        using var builder = new RecordBatchBuilder();
        builder.AppendSpans(1, "a"u8, "1"u8);
        builder.NextOffsetDelta = 5;
        builder.AppendSpans(2, "b"u8, "2"u8);
        var bytes = builder.ToArray();
        var batch = new RecordBatch(bytes);
        Assert.Equal(5, batch.LastOffsetDelta);
        Assert.Equal(2, batch.RecordCount);
        Assert.True(RecordBatchValidator.Validate(bytes).IsValid);
        Assert.Equal(RecordBatchError.InvalidRecord, RecordBatchValidator.ValidateProduce(bytes, 3).Error);
        var records = batch.Records;
        Assert.True(records.MoveNext());
        Assert.True(records.MoveNext());
        Assert.Equal(5, records.Current.OffsetDelta);
        Assert.Throws<ArgumentOutOfRangeException>(() => builder.NextOffsetDelta = 3);
    }

    [Fact]
    public void AnEmptyBatchCannotBeBuilt()
    {
        using var builder = new RecordBatchBuilder();
        Assert.Throws<InvalidOperationException>(() => builder.ToArray());
    }

    [Fact]
    public void LargeValuesUseMultiByteLengths()
    {
        var value = new byte[70_000];
        new Random(1).NextBytes(value);
        using var builder = new RecordBatchBuilder();
        builder.Append(0, null, value);
        var batch = new RecordBatch(builder.ToArray());
        var records = batch.Records;
        Assert.True(records.MoveNext());
        Assert.True(records.Current.Value.SequenceEqual(value));
        Assert.False(records.MoveNext());
    }
}
