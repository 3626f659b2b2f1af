using Tributary.Protocol;
using Tributary.Protocol.Messages;
using Xunit;

namespace Tributary.Broker.Tests.Data;

public sealed class OffsetsTests
{
    [Fact]
    public async Task ListOffsetsModes()
    {
        await using var broker = DataBroker.Start();
        broker.CreateTopic("t");
        await broker.SendAsync<ProduceResponse>(Wire.Produce("t", 0, Wire.Batch(3, timestamp: 1000)), 11);
        await broker.SendAsync<ProduceResponse>(Wire.Produce("t", 0, Wire.Batch(3, timestamp: 5000)), 11);
        await broker.SendAsync<ProduceResponse>(Wire.Produce("t", 0, Wire.Batch(2, timestamp: 2000)), 11);

        Assert.Equal((-1L, 0L), await List(broker, -2));
        Assert.Equal((-1L, 8L), await List(broker, -1));
        Assert.Equal((5002L, 5L), await List(broker, -3));
        Assert.Equal((1001L, 1L), await List(broker, 1001));
        // The first offset (in offset order) whose timestamp is at least the one asked for.
        Assert.Equal((5000L, 3L), await List(broker, 2000, version: 1));
        Assert.Equal((5000L, 3L), await List(broker, 4000));
        Assert.Equal((-1L, -1L), await List(broker, 9000));
        Assert.Equal((-1L, 0L), await List(broker, -4));
        Assert.Equal((-1L, 8L), await List(broker, -1, isolation: 1));
    }

    [Fact]
    public async Task ListOffsetsErrors()
    {
        await using var broker = DataBroker.Start();
        broker.CreateTopic("t");
        broker.Metadata.Publish(broker.Metadata.Current.WithTopic("elsewhere", leader: 7, isr: [7]));

        Assert.Equal((short)ErrorCode.UnknownTopicOrPartition, (await ListPartition(broker, "missing", -1)).ErrorCode);
        Assert.Equal((short)ErrorCode.NotLeaderOrFollower, (await ListPartition(broker, "elsewhere", -1)).ErrorCode);
        Assert.Equal((short)ErrorCode.UnknownLeaderEpoch, (await ListPartition(broker, "t", -1, leaderEpoch: 3)).ErrorCode);

        var duplicated = Request("t", -1);
        duplicated.Topics[0].Partitions.Add(new ListOffsetsRequest.ListOffsetsPartition { PartitionIndex = 0, Timestamp = -2 });
        var response = await broker.SendAsync<ListOffsetsResponse>(duplicated, 9);
        Assert.All(response.Topics[0].Partitions, p => Assert.Equal((short)ErrorCode.InvalidRequest, p.ErrorCode));
    }

    [Fact]
    public async Task DeleteRecordsAdvancesTheLogStartOffset()
    {
        await using var broker = DataBroker.Start();
        broker.CreateTopic("t", configs: new() { ["segment.bytes"] = "500" });
        for (var i = 0; i < 10; i++)
        {
            await broker.SendAsync<ProduceResponse>(Wire.Produce("t", 0, Wire.Batch(2, valueSize: 60)), 11);
        }

        var segmentsBefore = broker.Partition("t").Log.SegmentCount;
        var deleted = await Delete(broker, "t", 7);
        Assert.Equal((short)ErrorCode.None, deleted.ErrorCode);
        Assert.Equal(7, deleted.LowWatermark);
        Assert.True(broker.Partition("t").Log.SegmentCount < segmentsBefore);
        Assert.Equal((-1L, 7L), await List(broker, -2));

        // Fetching below the new start is out of range; the mid-batch offset 7 still returns batch 6-7.
        Assert.Equal((short)ErrorCode.OffsetOutOfRange, (await broker.SendAsync<FetchResponse>(Wire.Fetch("t", 0, 5), 12)).Single().ErrorCode);
        var fetched = (await broker.SendAsync<FetchResponse>(Wire.Fetch("t", 0, 7), 12)).Single();
        Assert.Equal(7, fetched.LogStartOffset);
        Assert.Equal(6, Wire.Batches(fetched.Records)[0].BaseOffset);

        Assert.Equal((short)ErrorCode.OffsetOutOfRange, (await Delete(broker, "t", 21)).ErrorCode);
        Assert.Equal((short)ErrorCode.OffsetOutOfRange, (await Delete(broker, "t", -5)).ErrorCode);
        var all = await Delete(broker, "t", -1);
        Assert.Equal(20, all.LowWatermark);
        Assert.Equal((short)ErrorCode.UnknownTopicOrPartition, (await Delete(broker, "missing", 0)).ErrorCode);
    }

    [Fact]
    public async Task DeleteRecordsRefusesCompactedTopics()
    {
        await using var broker = DataBroker.Start();
        broker.CreateTopic("c", configs: new() { ["cleanup.policy"] = "compact" });

        Assert.Equal((short)ErrorCode.PolicyViolation, (await Delete(broker, "c", 0)).ErrorCode);
    }

    private static async Task<(long Timestamp, long Offset)> List(DataBroker broker, long timestamp, short version = 9, sbyte isolation = 0)
    {
        var partition = await ListPartition(broker, "t", timestamp, version: version, isolation: isolation);
        Assert.Equal((short)ErrorCode.None, partition.ErrorCode);
        return (partition.Timestamp, partition.Offset);
    }

    private static async Task<ListOffsetsResponse.ListOffsetsPartitionResponse> ListPartition(DataBroker broker, string topic, long timestamp,
        short version = 9, sbyte isolation = 0, int leaderEpoch = -1)
    {
        var request = Request(topic, timestamp);
        request.IsolationLevel = isolation;
        request.Topics[0].Partitions[0].CurrentLeaderEpoch = leaderEpoch;
        return Assert.Single(Assert.Single((await broker.SendAsync<ListOffsetsResponse>(request, version)).Topics).Partitions);
    }

    private static ListOffsetsRequest Request(string topic, long timestamp) => new()
    {
        ReplicaId = -1,
        Topics = [new ListOffsetsRequest.ListOffsetsTopic { Name = topic, Partitions = [new ListOffsetsRequest.ListOffsetsPartition { PartitionIndex = 0, Timestamp = timestamp }] }],
    };

    private static async Task<DeleteRecordsResponse.DeleteRecordsPartitionResult> Delete(DataBroker broker, string topic, long offset)
    {
        var request = new DeleteRecordsRequest
        {
            TimeoutMs = 1000,
            Topics = [new DeleteRecordsRequest.DeleteRecordsTopic { Name = topic, Partitions = [new DeleteRecordsRequest.DeleteRecordsPartition { PartitionIndex = 0, Offset = offset }] }],
        };
        return Assert.Single(Assert.Single((await broker.SendAsync<DeleteRecordsResponse>(request, 2)).Topics).Partitions);
    }
}
