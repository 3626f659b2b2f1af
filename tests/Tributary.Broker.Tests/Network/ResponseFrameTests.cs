using Tributary.Broker.Network;
using Tributary.Broker.Requests;
using Tributary.Protocol.Messages;
using Xunit;
using static Tributary.Protocol.Messages.FetchResponse;

namespace Tributary.Broker.Tests.Network;

public sealed class ResponseFrameTests
{
    private static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>Partitions with records above, below and at the gather threshold, one without any.</summary>
    private static FetchResponse Response() => new()
    {
        SessionId = 7,
        Responses =
        {
            new FetchableTopicResponse
            {
                Topic = "t",
                TopicId = Guid.NewGuid(),
                Partitions =
                {
                    new PartitionData { PartitionIndex = 0, HighWatermark = 5, Records = Bytes(20_000, 1) },
                    new PartitionData { PartitionIndex = 1, HighWatermark = 6, Records = Bytes(100, 2) },
                    new PartitionData { PartitionIndex = 2, HighWatermark = 7, Records = null },
                    new PartitionData { PartitionIndex = 3, HighWatermark = 8, Records = Bytes(ResponseFrame.GatherMinBytes, 3) },
                },
            },
            new FetchableTopicResponse
            {
                Topic = "u",
                TopicId = Guid.NewGuid(),
                Partitions = { new PartitionData { PartitionIndex = 0, HighWatermark = 9, Records = Bytes(70_000, 4) } },
            },
        },
    };

    private static int GatheredBytes(FetchResponse response) =>
        response.Responses.SelectMany(t => t.Partitions).Where(p => ResponseFrame.Gathers(p.Records)).Sum(p => p.Records!.Value.Length);

    private static RequestHeader Header(short version) => new() { RequestApiKey = (short)ApiKey.Fetch, RequestApiVersion = version, CorrelationId = 42 };

    [Theory]
    [InlineData(4)]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(16)]
    public void AGatheredFrameCarriesTheSameBytesAsACopiedOne(short version)
    {
        var response = Response();
        using var copied = RequestDispatcher.Serialize(Header(version), response)!;
        var released = 0;
        var gathered = GatheredBytes(response);
        Assert.Equal(20_000 + ResponseFrame.GatherMinBytes + 70_000, gathered);

        var frame = RequestDispatcher.Serialize(Header(version), response, gathered, () => released++);
        Assert.True(frame.IsGathered);
        Assert.False(copied.IsGathered);
        Assert.Equal(copied.Length, frame.Length);
        Assert.Equal(copied.Length - gathered, frame.Span.Length);
        Assert.Equal(copied.Memory.ToArray(), frame.ToArray());

        var segments = new List<ArraySegment<byte>>();
        frame.AddSegmentsTo(segments);
        Assert.Equal(frame.Length, segments.Sum(s => s.Count));
        Assert.Equal(3, segments.Count(s => s.Count >= ResponseFrame.GatherMinBytes)); // the records, not copies of them
        Assert.Throws<InvalidOperationException>(() => frame.Memory);

        Assert.Equal(0, released); // the records are still to be sent
        frame.Dispose();
        frame.Dispose();
        Assert.Equal(1, released);
    }

    [Fact]
    public void AGatheredCountThatDisagreesWithTheRecordsFailsAndStillReleases()
    {
        var response = Response();
        var released = 0;
        Assert.Throws<InvalidOperationException>(() => RequestDispatcher.Serialize(Header(12), response, GatheredBytes(response) - 70_000, () => released++));
        Assert.Equal(1, released);
    }

    [Fact]
    public void TheRuleGathersOnlyLargeArrayBackedRecords()
    {
        Assert.False(ResponseFrame.Gathers(null));
        Assert.False(ResponseFrame.Gathers(new byte[ResponseFrame.GatherMinBytes - 1]));
        Assert.True(ResponseFrame.Gathers(new byte[ResponseFrame.GatherMinBytes]));
        Assert.True(ResponseFrame.Gathers(new ReadOnlyMemory<byte>(new byte[ResponseFrame.GatherMinBytes + 10], 5, ResponseFrame.GatherMinBytes)));
    }

    [Fact]
    public void DroppingSentBytesKeepsTheRestInOrder()
    {
        byte[] a = [1, 2, 3], b = [4, 5], c = [6, 7, 8, 9];
        var segments = new List<ArraySegment<byte>> { a, b, c };
        GatherWriter.DropSent(segments, 4);
        Assert.Equal([5, 6, 7, 8, 9], segments.SelectMany(s => s).ToArray());
        GatherWriter.DropSent(segments, 1);
        Assert.Equal([6, 7, 8, 9], segments.SelectMany(s => s).ToArray());
        Assert.Single(segments);
        GatherWriter.DropSent(segments, 4);
        Assert.Empty(segments);
    }
}
