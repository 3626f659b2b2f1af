using Tributary.Protocol.Primitives;
using Tributary.Protocol.Records;
using Xunit;
using static Tributary.Protocol.Tests.Records.BatchSamples;

namespace Tributary.Protocol.Tests.Records;

public class RecordBatchEnumeratorTests
{
    private static byte[] ThreeBatches() => [.. Build(baseOffset: 0), .. Build(CompressionType.Gzip, 3), .. Build(baseOffset: 6)];

    [Fact]
    public void SplitsConcatenatedBatches()
    {
        var buffer = ThreeBatches();
        var offsets = new List<long>();
        var enumerator = new RecordBatchEnumerator(buffer);
        while (enumerator.MoveNext())
        {
            Assert.True(RecordBatchValidator.Validate(enumerator.Current).IsValid);
            offsets.Add(enumerator.CurrentBatch.BaseOffset);
        }

        Assert.Equal([0L, 3L, 6L], offsets);
        Assert.False(enumerator.HasPartialBatch);
        Assert.Equal(buffer.Length, enumerator.Position);
    }

    [Fact]
    public void PartialTrailingBatchEndsTheWalk()
    {
        var buffer = ThreeBatches();
        var third = Build(baseOffset: 6).Length;
        for (var cut = 1; cut < third; cut += 7)
        {
            var truncated = buffer.AsSpan(0, buffer.Length - cut);
            var enumerator = new RecordBatchEnumerator(truncated);
            var count = 0;
            foreach (var batch in enumerator)
            {
                Assert.True(RecordBatchValidator.Validate(batch).IsValid);
                count++;
            }

            Assert.Equal(2, count);
            while (enumerator.MoveNext())
            {
            }

            Assert.True(enumerator.HasPartialBatch);
            Assert.Equal(third - cut, enumerator.TrailingBytes);
            Assert.Equal(buffer.Length - third, enumerator.Position);
        }
    }

    [Fact]
    public void EmptyBufferHasNoBatches()
    {
        var enumerator = new RecordBatchEnumerator([]);
        Assert.False(enumerator.MoveNext());
        Assert.False(enumerator.HasPartialBatch);
    }

    [Fact]
    public void ImpossibleLengthIsCorrupt()
    {
        var batch = WithInt32(Build(), RecordBatchHeader.BatchLengthOffset, 3);
        var error = Assert.Throws<ProtocolException>(() =>
        {
            var enumerator = new RecordBatchEnumerator(batch);
            enumerator.MoveNext();
        });
        Assert.Equal(ProtocolError.CorruptRecord, error.Error);
    }

    [Fact]
    public void CurrentBatchRejectsLegacyEntries()
    {
        var batch = Build();
        batch[RecordBatchHeader.MagicOffset] = 1;
        var error = Assert.Throws<ProtocolException>(() =>
        {
            var enumerator = new RecordBatchEnumerator(batch);
            Assert.True(enumerator.MoveNext());
            _ = enumerator.CurrentBatch;
        });
        Assert.Equal(ProtocolError.CorruptRecord, error.Error);
    }
}
