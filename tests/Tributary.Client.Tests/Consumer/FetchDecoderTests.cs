using System.Text;
using Tributary.Client.Consumer;
using Tributary.Protocol.Records;

namespace Tributary.Client.Tests.Consumer;

public sealed class FetchDecoderTests
{
    private static readonly TopicPartition Tp = new("t", 0);

    private static byte[] Batch(long baseOffset, long producerId, bool transactional, CompressionType compression, params string[] values)
    {
        using var builder = new RecordBatchBuilder
        {
            BaseOffset = baseOffset,
            ProducerId = producerId,
            ProducerEpoch = (short)(producerId >= 0 ? 0 : -1),
            BaseSequence = producerId >= 0 ? 0 : -1,
            IsTransactional = transactional,
            Compression = compression,
        };
        foreach (var value in values)
        {
            builder.Append(1000, Encoding.UTF8.GetBytes("k"), Encoding.UTF8.GetBytes(value), new RecordHeaderData("h", [1]));
        }

        return builder.ToArray();
    }

    private static List<ConsumeResult> Decode(byte[] records, long position, bool readCommitted, (long, long)[]? aborted, out long next)
    {
        var output = new List<ConsumeResult>();
        next = FetchDecoder.Decode(Tp, records, position, aborted, readCommitted, true, 1 << 20, int.MaxValue, output);
        return output;
    }

    [Fact]
    public void ReadCommittedSkipsAbortedTransactionsAndMarkers()
    {
        // offsets 0-1 plain, 2-3 txn of producer 7 (aborted, marker at 4), 5-6 txn of producer 8 (committed, marker at 7), 8 plain.
        var records = Batch(0, -1, false, CompressionType.None, "a", "b")
            .Concat(Batch(2, 7, true, CompressionType.None, "x1", "x2"))
            .Concat(RecordBatchBuilder.EndTransactionMarker(4, 7, 0, 0, commit: false, 1000))
            .Concat(Batch(5, 8, true, CompressionType.Gzip, "c", "d"))
            .Concat(RecordBatchBuilder.EndTransactionMarker(7, 8, 0, 0, commit: true, 1000))
            .Concat(Batch(8, -1, false, CompressionType.Lz4, "e"))
            .ToArray();

        var committed = Decode(records, 0, readCommitted: true, [(7, 2)], out var next);
        Assert.Equal(new[] { "a", "b", "c", "d", "e" }, committed.Select(r => Encoding.UTF8.GetString(r.Value!)));
        Assert.Equal(new long[] { 0, 1, 5, 6, 8 }, committed.Select(r => r.Offset));
        Assert.Equal(9, next);

        var uncommitted = Decode(records, 0, readCommitted: false, [(7, 2)], out _);
        Assert.Equal(new[] { "a", "b", "x1", "x2", "c", "d", "e" }, uncommitted.Select(r => Encoding.UTF8.GetString(r.Value!)));
        Assert.All(uncommitted, r => Assert.Equal([1], r.Headers.Single().Value));
    }

    [Fact]
    public void StartsMidBatchAndIgnoresAPartialTail()
    {
        var whole = Batch(10, -1, false, CompressionType.Zstd, "p", "q", "r");
        var next = Batch(13, -1, false, CompressionType.None, "s");
        var records = whole.Concat(next.AsSpan(0, next.Length - 3).ToArray()).ToArray();
        var result = Decode(records, 11, false, null, out var position);
        Assert.Equal(new long[] { 11, 12 }, result.Select(r => r.Offset));
        Assert.Equal(13, position);
    }

    [Fact]
    public void CorruptBatchesRaiseKafkaException()
    {
        var records = Batch(0, -1, false, CompressionType.None, "a");
        records[^1] ^= 0xFF;
        var error = Assert.Throws<KafkaException>(() => Decode(records, 0, false, null, out _));
        Assert.Equal(Protocol.ErrorCode.CorruptMessage, error.ErrorCode);
    }
}
