using Tributary.Protocol.Primitives;
using Tributary.Protocol.Records;
using Xunit;

namespace Tributary.Protocol.Tests.Records;

public class RecordEnumeratorTests
{
    // A valid record: length 8, attributes, ts 0, offset 0, key "k", value "v", no headers.
    private static readonly byte[] Valid = [0x10, 0, 0, 0, 0x02, (byte)'k', 0x02, (byte)'v', 0];

    private static RecordReadError ReadError(byte[] records, int expectedCount = -1)
    {
        var enumerator = new RecordEnumerator(records, expectedCount);
        RecordReadError error;
        while (enumerator.TryMoveNext(out error))
        {
        }

        return error;
    }

    [Fact]
    public void ValidRecordsEndWithoutError()
    {
        Assert.Equal(RecordReadError.None, ReadError([.. Valid, .. Valid], 2));
        Assert.Equal(RecordReadError.None, ReadError([.. Valid, .. Valid]));
        Assert.Equal(RecordReadError.None, ReadError([], 0));
    }

    [Fact]
    public void RecordLengthPastTheEndIsTruncated() => Assert.Equal(RecordReadError.Truncated, ReadError([0x28, 0, 0, 0]));

    [Fact]
    public void NegativeRecordLength() => Assert.Equal(RecordReadError.InvalidLength, ReadError([0x03, 0, 0, 0]));

    [Fact]
    public void KeyLengthBelowMinusOne() => Assert.Equal(RecordReadError.InvalidLength, ReadError([0x0A, 0, 0, 0, 0x03, 0x00, 0]));

    [Fact]
    public void NullKeyAndValueAreAllowed()
    {
        byte[] record = [0x0C, 0, 0, 0, 0x01, 0x01, 0];
        var enumerator = new RecordEnumerator(record, 1);
        Assert.True(enumerator.MoveNext());
        Assert.True(enumerator.Current.IsKeyNull);
        Assert.True(enumerator.Current.IsValueNull);
        Assert.False(enumerator.MoveNext());
    }

    [Fact]
    public void NullHeaderKeyIsRejected() =>
        // one header whose key length is -1
        Assert.Equal(RecordReadError.InvalidLength, ReadError([0x0E, 0, 0, 0, 0x01, 0x01, 0x02, 0x01, 0x01]));

    [Fact]
    public void NegativeHeaderCountIsRejected() => Assert.Equal(RecordReadError.InvalidLength, ReadError([0x0C, 0, 0, 0, 0x01, 0x01, 0x01]));

    [Fact]
    public void FieldsEndingBeforeTheRecordLengthAreASizeMismatch() =>
        Assert.Equal(RecordReadError.SizeMismatch, ReadError([0x12, 0, 0, 0, 0x02, (byte)'k', 0x02, (byte)'v', 0, 0xAA]));

    [Fact]
    public void FieldsRunningPastTheRecordLengthAreASizeMismatch() =>
        Assert.Equal(RecordReadError.SizeMismatch, ReadError([0x0E, 0, 0, 0, 0x02, (byte)'k', 0x02, (byte)'v', 0]));

    [Fact]
    public void OverlongVarintInsideARecord() =>
        Assert.Equal(RecordReadError.InvalidVarint, ReadError([0x16, 0, 0, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 0, 0, 0]));

    [Fact]
    public void FewerRecordsThanTheCountSays() => Assert.Equal(RecordReadError.CountMismatch, ReadError(Valid, 2));

    [Fact]
    public void MoreRecordsThanTheCountSays() => Assert.Equal(RecordReadError.CountMismatch, ReadError([.. Valid, .. Valid], 1));

    [Fact]
    public void MoveNextThrowsATypedProtocolException()
    {
        var error = Assert.Throws<ProtocolException>(() =>
        {
            foreach (var record in new RecordEnumerator([0x28, 0, 0], 1))
            {
                _ = record.OffsetDelta;
            }
        });
        Assert.Equal(ProtocolError.CorruptRecord, error.Error);
    }

    /// <summary>Any single corrupted byte either still parses or gives a typed error, never an exception.</summary>
    [Fact]
    public void CorruptingAnyByteNeverThrows()
    {
        var batch = BatchSamples.Build();
        var records = batch.AsSpan(RecordBatchHeader.Size).ToArray();
        byte[] replacements = [0x00, 0x01, 0x7F, 0x80, 0xFF];
        for (var i = 0; i < records.Length; i++)
        {
            foreach (var value in replacements)
            {
                var corrupt = (byte[])records.Clone();
                corrupt[i] = value;
                var enumerator = new RecordEnumerator(corrupt, 3);
                while (enumerator.TryMoveNext(out _))
                {
                    var headers = enumerator.Current.Headers;
                    while (headers.MoveNext())
                    {
                    }
                }
            }

            // Cut short at every length too.
            var cut = new RecordEnumerator(records.AsSpan(0, i), 3);
            while (cut.TryMoveNext(out _))
            {
            }
        }
    }
}
