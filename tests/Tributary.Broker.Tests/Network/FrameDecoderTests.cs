using System.Buffers;
using Tributary.Broker.Network;
using Xunit;

namespace Tributary.Broker.Tests.Network;

public sealed class FrameDecoderTests
{
    [Fact]
    public void ReadsFramesSplitAcrossSegments()
    {
        byte[] bytes = [.. TestClient.Frame(1, 7, [9, 9]), .. TestClient.Frame(2, 8)];
        var sequence = Segmented(bytes, 3);

        Assert.Equal(FrameStatus.Complete, FrameDecoder.TryRead(ref sequence, 100, out var first, out int size));
        Assert.Equal(10, size);
        Assert.Equal(10, first.Length);
        Assert.Equal(FrameStatus.Complete, FrameDecoder.TryRead(ref sequence, 100, out var second, out _));
        Assert.Equal(8, second.Length);
        Assert.True(RequestHeaderPrefix.TryRead(second.ToArray(), out var prefix));
        Assert.Equal(new RequestHeaderPrefix(2, 1, 8), prefix);
        Assert.Equal(0, sequence.Length);
        Assert.Equal(FrameStatus.NeedMoreData, FrameDecoder.TryRead(ref sequence, 100, out _, out _));
    }

    [Fact]
    public void PartialFrameNeedsMoreAndLeavesBufferUntouched()
    {
        var bytes = TestClient.Frame(1, 7, [1, 2, 3]);
        var sequence = new ReadOnlySequence<byte>(bytes, 0, bytes.Length - 1);
        Assert.Equal(FrameStatus.NeedMoreData, FrameDecoder.TryRead(ref sequence, 100, out _, out _));
        Assert.Equal(bytes.Length - 1, sequence.Length);
    }

    [Theory]
    [InlineData(-5, FrameStatus.Malformed)]
    [InlineData(3, FrameStatus.Malformed)]
    [InlineData(101, FrameStatus.TooLarge)]
    [InlineData(100, FrameStatus.NeedMoreData)]
    public void ChecksSizeBeforeBuffering(int declared, FrameStatus expected)
    {
        var bytes = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bytes, declared);
        var sequence = new ReadOnlySequence<byte>(bytes);
        Assert.Equal(expected, FrameDecoder.TryRead(ref sequence, 100, out _, out int size));
        Assert.Equal(declared, size);
    }

    private static ReadOnlySequence<byte> Segmented(byte[] bytes, int segmentSize)
    {
        Segment? first = null;
        Segment? last = null;
        for (int i = 0; i < bytes.Length; i += segmentSize)
        {
            var chunk = bytes.AsMemory(i, Math.Min(segmentSize, bytes.Length - i));
            last = last is null ? first = new Segment(chunk, 0) : last.Append(chunk);
        }

        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
