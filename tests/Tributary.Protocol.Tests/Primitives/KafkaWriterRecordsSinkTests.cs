using Tributary.Protocol.Primitives;
using Xunit;

namespace Tributary.Protocol.Tests.Primitives;

public class KafkaWriterRecordsSinkTests
{
    /// <summary>Takes records of at least <see cref="MinBytes"/> and remembers where they belong.</summary>
    private sealed class LargeOnlySink(int minBytes) : IRecordsSink
    {
        public int MinBytes { get; } = minBytes;

        public List<(int Position, byte[] Records)> Taken { get; } = [];

        public bool TryTake(int position, ReadOnlyMemory<byte> records)
        {
            if (records.Length < MinBytes)
            {
                return false;
            }

            Taken.Add((position, records.ToArray()));
            return true;
        }
    }

    [Fact]
    public void TakenRecordsLeaveOnlyTheirLengthPrefixInTheBuffer()
    {
        byte[] small = [1, 2, 3];
        var large = Enumerable.Range(0, 100).Select(i => (byte)i).ToArray();
        var sink = new LargeOnlySink(10);
        var buffer = new byte[64];
        var writer = new KafkaWriter(buffer, sink);
        writer.WriteInt8(9);
        writer.WriteRecords(large);
        writer.WriteCompactRecords(small);
        writer.WriteCompactRecords(large);
        writer.WriteRecords(null);
        writer.WriteInt8(7);

        // 1 + 4 (prefix of the taken one) + 1 + 3 + 1 (compact prefix of 100: 101) + 4 (-1) + 1
        Assert.Equal(15, writer.Position);
        Assert.Equal([(5, large), (10, large)], sink.Taken.Select(t => (t.Position, t.Records)).ToList(), new TakenComparer());
        Assert.Equal([9, 0, 0, 0, 100, 4, 1, 2, 3, 101, 0xFF, 0xFF, 0xFF, 0xFF, 7], buffer[..15]);
    }

    [Fact]
    public void WithoutASinkEveryRecordsFieldIsCopied()
    {
        var large = Enumerable.Range(0, 100).Select(i => (byte)i).ToArray();
        var buffer = new byte[105];
        var writer = new KafkaWriter(buffer);
        writer.WriteRecords(large);
        Assert.Equal(104, writer.Position);
        Assert.Equal(large, buffer[4..104]);
    }

    [Fact]
    public void EmptyRecordsAreNeverOffered()
    {
        var sink = new LargeOnlySink(0);
        var buffer = new byte[5];
        var writer = new KafkaWriter(buffer, sink);
        writer.WriteRecords(ReadOnlyMemory<byte>.Empty);
        writer.WriteCompactRecords(ReadOnlyMemory<byte>.Empty);
        Assert.Equal(5, writer.Position);
        Assert.Empty(sink.Taken);
    }

    private sealed class TakenComparer : IEqualityComparer<(int, byte[])>
    {
        public bool Equals((int, byte[]) x, (int, byte[]) y) => x.Item1 == y.Item1 && x.Item2.AsSpan().SequenceEqual(y.Item2);

        public int GetHashCode((int, byte[]) obj) => obj.Item1;
    }
}
