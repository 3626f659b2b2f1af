using Tributary.Broker.Network;
using Tributary.Protocol;
using Tributary.Protocol.Messages;
using Xunit;

namespace Tributary.Broker.Tests.Data;

public sealed class FetchTests
{
    private const short Version = 12;

    [Fact]
    public async Task ProducedBatchesRoundTripAcrossSegments()
    {
        await using var broker = DataBroker.Start();
        broker.CreateTopic("t", configs: new() { ["segment.bytes"] = "1024" });
        for (var i = 0; i < 20; i++)
        {
            var produced = (await broker.SendAsync<ProduceResponse>(Wire.Produce("t", 0, Wire.Batch(3, valueSize: 40)), 11)).Single();
            Assert.Equal(i * 3, produced.BaseOffset);
        }

        Assert.True(broker.Partition("t").Log.SegmentCount > 3);
        var offsets = new List<long>();
        long next = 0;
        while (next < 60)
        {
            var data = (await broker.SendAsync<FetchResponse>(Wire.Fetch("t", 0, next), Version)).Single();
            Assert.Equal((short)ErrorCode.None, data.ErrorCode);
            Assert.Equal(60, data.HighWatermark);
            Assert.Equal(60, data.LastStableOffset);
            Assert.Equal(0, data.LogStartOffset);
            var batches = Wire.Batches(data.Records);
            Assert.NotEmpty(batches);
            offsets.AddRange(batches.Select(b => b.BaseOffset));
            next = batches[^1].LastOffset + 1;
        }

        Assert.Equal(Enumerable.Range(0, 20).Select(i => i * 3L), offsets);
        Assert.True(broker.Metrics.BytesOut.WithLabels().Value > 0);
    }

    /// <summary>
    /// A fetch whose reads are large sends them from the read buffers (a gathered frame), a small
    /// one copies them; both carry the same batches, and the large one's records come back whole.
    /// </summary>
    [Fact]
    public async Task LargeReadsAreGatheredIntoTheResponseAndSmallOnesCopied()
    {
        await using var broker = DataBroker.Start();
        broker.CreateTopic("t", partitions: 2);
        for (var i = 0; i < 4; i++)
        {
            await broker.SendAsync<ProduceResponse>(Wire.Produce("t", 0, Wire.Batch(10, valueSize: 1000)), 11);
        }

        await broker.SendAsync<ProduceResponse>(Wire.Produce("t", 1, Wire.Batch(2, valueSize: 10)), 11);
        var request = Wire.Fetch("t", 0, 0);
        request.Topics = [Wire.FetchTopic("t", (0, 0, 1 << 20), (1, 0, 1 << 20))];

        var (_, pending) = broker.Dispatch(request, Version);
        using (var frame = await pending)
        {
            Assert.NotNull(frame);
            Assert.True(frame.IsGathered);
            var segments = new List<ArraySegment<byte>>();
            frame.AddSegmentsTo(segments);
            Assert.Single(segments, s => s.Count >= ResponseFrame.GatherMinBytes);
        }

        var partitions = Assert.Single((await broker.SendAsync<FetchResponse>(request, Version)).Responses).Partitions;
        Assert.Equal([(0L, 9L, 10), (10L, 19L, 10), (20L, 29L, 10), (30L, 39L, 10)], Wire.Batches(partitions[0].Records));
        Assert.Equal([(0L, 1L, 2)], Wire.Batches(partitions[1].Records));
    }

    [Fact]
    public async Task MidBatchFetchReturnsTheWholeBatch()
    {
        await using var broker = DataBroker.Start();
        broker.CreateTopic("t");
        await broker.SendAsync<ProduceResponse>(Wire.Produce("t", 0, Wire.Batch(5)), 11);
        await broker.SendAsync<ProduceResponse>(Wire.Produce("t", 0, Wire.Batch(5)), 11);

        var data = (await broker.SendAsync<FetchResponse>(Wire.Fetch("t", 0, 7), Version)).Single();

        Assert.Equal([(5L, 9L, 5)], Wire.Batches(data.Records));
    }

    [Fact]
    public async Task FirstBatchIsReturnedWholeEvenBeyondMaxBytes()
    {
        await using var broker = DataBroker.Start();
        broker.CreateTopic("t", partitions: 2);
        for (var p = 0; p < 2; p++)
        {
            await broker.SendAsync<ProduceResponse>(Wire.Produce("t", p, Wire.Batch(10, valueSize: 100)), 11);
            await broker.SendAsync<ProduceResponse>(Wire.Produce("t", p, Wire.Batch(10, valueSize: 100)), 11);
        }

        var request = Wire.Fetch("t", 0, 0, maxBytes: 100);
        request.Topics = [Wire.FetchTopic("t", (0, 0, 100), (1, 0, 100))];
        var response = await broker.SendAsync<FetchResponse>(request, Version);
        var partitions = Assert.Single(response.Responses).Partitions;

        // KIP-74: one whole batch from the first partition, nothing more once max bytes is used up.
        Assert.Single(Wire.Batches(partitions[0].Records));
        Assert.Empty(Wire.Batches(partitions[1].Records));
        Assert.Equal(20, partitions[1].HighWatermark);

        var perPartition = Wire.Fetch("t", 0, 0, maxBytes: 1 << 20);
        perPartition.Topics = [Wire.FetchTopic("t", (0, 0, 1500), (1, 0, 1 << 20))];
        var limited = Assert.Single((await broker.SendAsync<FetchResponse>(perPartition, Version)).Responses).Partitions;
        Assert.Single(Wire.Batches(limited[0].Records));
        Assert.Equal(2, Wire.Batches(limited[1].Records).Count);
    }

    [Fact]
    public async Task LongPollCompletesWhenDataArrives()
    {
        await using var broker = DataBroker.Start();
        broker.CreateTopic("t");
        var (header, pending) = broker.Dispatch(Wire.Fetch("t", 0, 0, maxWaitMs: 60_000, minBytes: 1), Version);
        await Task.Delay(50);
        Assert.False(pending.IsCompleted);

        await broker.SendAsync<ProduceResponse>(Wire.Produce("t", 0, Wire.Batch(2)), 11);
        using var frame = await pending;

        Assert.NotNull(frame);
        var response = Parse(frame!.Memory, header.CorrelationId);
        Assert.Equal([(0L, 1L, 2)], Wire.Batches(response.Single().Records));
    }

    [Fact]
    public async Task LongPollWaitsForMinBytesAcrossAppends()
    {
        await using var broker = DataBroker.Start();
        broker.CreateTopic("t");
        var batch = Wire.Batch(1);
        var (header, pending) = broker.Dispatch(Wire.Fetch("t", 0, 0, maxWaitMs: 60_000, minBytes: (batch.Length * 2) + 1), Version);

        await broker.SendAsync<ProduceResponse>(Wire.Produce("t", 0, Wire.Batch(1)), 11);
        await broker.SendAsync<ProduceResponse>(Wire.Produce("t", 0, Wire.Batch(1)), 11);
        await Task.Delay(50);
        Assert.False(pending.IsCompleted);
        await broker.SendAsync<ProduceResponse>(Wire.Produce("t", 0, Wire.Batch(1)), 11);

        using var frame = await pending;
        Assert.Equal(3, Wire.Batches(Parse(frame!.Memory, header.CorrelationId).Single().Records).Count);
    }

    [Fact]
    public async Task LongPollTimesOutEmpty()
    {
        await using var broker = DataBroker.Start();
        broker.CreateTopic("t");
        var data = (await broker.SendAsync<FetchResponse>(Wire.Fetch("t", 0, 0, maxWaitMs: 30, minBytes: 1), Version)).Single();

        Assert.Equal((short)ErrorCode.None, data.ErrorCode);
        Assert.Empty(Wire.Batches(data.Records));
        Assert.Equal(0, data.HighWatermark);
    }

    [Fact]
    public async Task LongPollEndsWhenTheConnectionCloses()
    {
        await using var broker = DataBroker.Start();
        broker.CreateTopic("t");
        using var cts = new CancellationTokenSource();
        var (_, pending) = broker.Dispatch(Wire.Fetch("t", 0, 0, maxWaitMs: 60_000, minBytes: 1), Version, cts.Token);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await pending);
    }

    [Fact]
    public async Task FetchErrorsArePerPartition()
    {
        await using var broker = DataBroker.Start();
        broker.CreateTopic("t");
        broker.Metadata.Publish(broker.Metadata.Current.WithTopic("elsewhere", leader: 7, isr: [7]));
        await broker.SendAsync<ProduceResponse>(Wire.Produce("t", 0, Wire.Batch(2)), 11);

        Assert.Equal((short)ErrorCode.UnknownTopicOrPartition, (await broker.SendAsync<FetchResponse>(Wire.Fetch("missing", 0, 0), Version)).Single().ErrorCode);
        Assert.Equal((short)ErrorCode.NotLeaderOrFollower, (await broker.SendAsync<FetchResponse>(Wire.Fetch("elsewhere", 0, 0), Version)).Single().ErrorCode);
        var outOfRange = (await broker.SendAsync<FetchResponse>(Wire.Fetch("t", 0, 3), Version)).Single();
        Assert.Equal((short)ErrorCode.OffsetOutOfRange, outOfRange.ErrorCode);
        Assert.Equal(2, outOfRange.HighWatermark);

        var fenced = Wire.Fetch("t", 0, 0);
        fenced.Topics[0].Partitions[0].CurrentLeaderEpoch = 5;
        Assert.Equal((short)ErrorCode.UnknownLeaderEpoch, (await broker.SendAsync<FetchResponse>(fenced, Version)).Single().ErrorCode);
    }

    [Fact]
    public async Task TopicIdsNameTopicsFromVersion13()
    {
        await using var broker = DataBroker.Start();
        broker.CreateTopic("t");
        await broker.SendAsync<ProduceResponse>(Wire.Produce("t", 0, Wire.Batch(2)), 11);
        var id = broker.Metadata.Current.Topic("t")!.Id;

        var request = Wire.Fetch("ignored", 0, 0);
        request.Topics[0].TopicId = id;
        var response = await broker.SendAsync<FetchResponse>(request, 16);
        Assert.Equal(id, Assert.Single(response.Responses).TopicId);
        Assert.Single(Wire.Batches(response.Single().Records));

        request.Topics[0].TopicId = Guid.NewGuid();
        Assert.Equal((short)ErrorCode.UnknownTopicId, (await broker.SendAsync<FetchResponse>(request, 16)).Single().ErrorCode);
    }

    [Fact]
    public async Task ReadCommittedStopsAtTheLastStableOffsetWithNoAbortedTransactions()
    {
        await using var broker = DataBroker.Start();
        broker.CreateTopic("t");
        await broker.SendAsync<ProduceResponse>(Wire.Produce("t", 0, Wire.Batch(2)), 11);

        var committed = (await broker.SendAsync<FetchResponse>(Wire.Fetch("t", 0, 0, isolation: 1), Version)).Single();
        var uncommitted = (await broker.SendAsync<FetchResponse>(Wire.Fetch("t", 0, 0), Version)).Single();

        Assert.Equal(2, committed.LastStableOffset);
        Assert.NotNull(committed.AbortedTransactions);
        Assert.Empty(committed.AbortedTransactions!);
        Assert.Null(uncommitted.AbortedTransactions);
        Assert.Equal(-1, committed.PreferredReadReplica);
    }

    private static FetchResponse Parse(ReadOnlyMemory<byte> frame, int correlationId)
    {
        var reader = new Protocol.Primitives.KafkaReader(frame.ToArray());
        var header = new ResponseHeader();
        header.Read(ref reader, ApiHeaderVersions.ResponseHeaderVersion(ApiKey.Fetch, Version));
        Assert.Equal(correlationId, header.CorrelationId);
        var response = new FetchResponse();
        response.Read(ref reader, Version);
        return response;
    }
}
