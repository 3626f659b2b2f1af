using System.Buffers;
using System.Text;
using Tributary.Protocol.Records;

namespace Tributary.Storage.Tests;

/// <summary>
/// A stored batch decoded with Tributary.Protocol's readers: header fields plus its records
/// (decompressed when needed). Parsing asserts the batch passes the broker's structural
/// validation (length, CRC32C, codec, count) and that its records parse to exactly recordCount.
/// </summary>
public sealed record DecodedBatch(
    long BaseOffset,
    long LastOffset,
    int PartitionLeaderEpoch,
    short Attributes,
    long BaseTimestamp,
    long MaxTimestamp,
    long ProducerId,
    short ProducerEpoch,
    int BaseSequence,
    IReadOnlyList<DecodedRecord> Records)
{
    public CompressionType Compression => RecordBatchHeader.Compression(Attributes);

    public bool HasDeleteHorizon => RecordBatchHeader.HasDeleteHorizon(Attributes);

    /// <summary>Decodes every batch in <paramref name="bytes"/>.</summary>
    public static List<DecodedBatch> All(ReadOnlySpan<byte> bytes)
    {
        var result = new List<DecodedBatch>();
        var enumerator = new RecordBatchEnumerator(bytes);
        while (enumerator.MoveNext())
        {
            result.Add(Parse(enumerator.Current));
        }

        Assert.Equal(0, enumerator.TrailingBytes);
        return result;
    }

    public static DecodedBatch Parse(ReadOnlySpan<byte> bytes)
    {
        var validation = RecordBatchValidator.Validate(bytes);
        Assert.True(validation.IsValid, validation.Message);
        var batch = new RecordBatch(bytes);
        Assert.True(batch.IsCrcValid);

        var buffer = new ArrayBufferWriter<byte>();
        batch.DecompressRecords(buffer, 1 << 24);
        var records = new List<DecodedRecord>();
        foreach (var record in new RecordEnumerator(buffer.WrittenSpan, batch.RecordCount))
        {
            var headers = new List<(string, string?)>();
            foreach (var header in record.Headers)
            {
                headers.Add((header.KeyString(), header.IsValueNull ? null : Encoding.UTF8.GetString(header.Value)));
            }

            records.Add(new DecodedRecord(
                batch.BaseOffset + record.OffsetDelta,
                batch.BaseTimestamp + record.TimestampDelta,
                record.IsKeyNull ? null : Encoding.UTF8.GetString(record.Key),
                record.IsValueNull ? null : Encoding.UTF8.GetString(record.Value),
                headers));
        }

        return new DecodedBatch(batch.BaseOffset, batch.LastOffset, batch.PartitionLeaderEpoch, batch.Attributes, batch.BaseTimestamp,
            batch.MaxTimestamp, batch.ProducerId, batch.ProducerEpoch, batch.BaseSequence, records);
    }
}
