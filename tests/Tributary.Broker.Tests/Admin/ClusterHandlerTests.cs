using Tributary.Broker.Topics;
using Tributary.Protocol;
using Tributary.Protocol.Messages;
using Tributary.Storage;
using Xunit;

namespace Tributary.Broker.Tests.Admin;

/// <summary>DescribeCluster and DescribeLogDirs over the wire.</summary>
public class ClusterHandlerTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task DescribeClusterListsLiveBrokers(short version)
    {
        await using var broker = await AdminBroker.StartAsync(null, ("broker.rack", "zone-b"));
        var response = await broker.Send<DescribeClusterResponse>(new DescribeClusterRequest(), version);
        Assert.Equal(0, response.ErrorCode);
        Assert.Equal(broker.Stack.Image.ClusterId, response.ClusterId);
        Assert.Equal(1, response.ControllerId);
        var b = Assert.Single(response.Brokers);
        Assert.Equal((1, "localhost", 9092, "zone-b"), (b.BrokerId, b.Host, b.Port, b.Rack));
    }

    [Fact]
    public async Task DescribeClusterRefusesControllerEndpoints()
    {
        await using var broker = await AdminBroker.StartAsync();
        var response = await broker.Send<DescribeClusterResponse>(new DescribeClusterRequest { EndpointType = 2 }, 1);
        Assert.Equal((short)ErrorCode.UnsupportedEndpointType, response.ErrorCode);
        Assert.Empty(response.Brokers);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    public async Task DescribeLogDirsReportsPartitionsPerDir(short version)
    {
        await using var broker = await AdminBroker.StartAsync();
        await broker.CreateTopic("sized", 2);
        var image = broker.Stack.Image;
        foreach (var p in image.Topic("sized")!.Partitions.Keys)
        {
            broker.Stack.Logs.GetOrCreateLog(new TopicPartition("sized", p), broker.Stack.Resolver.Resolve(image, "sized"));
        }

        var all = await broker.Send<DescribeLogDirsResponse>(new DescribeLogDirsRequest { Topics = null }, version);
        var dir = Assert.Single(all.Results);
        Assert.Equal(0, dir.ErrorCode);
        Assert.Equal(Path.GetFullPath(broker.Stack.Dir).TrimEnd('/'), dir.LogDir);
        Assert.DoesNotContain(dir.Topics, t => t.Name == TopicNames.ClusterMetadata);
        var sized = Assert.Single(dir.Topics, t => t.Name == "sized");
        Assert.Equal([0, 1], sized.Partitions.Select(p => p.PartitionIndex));
        Assert.All(sized.Partitions, p => Assert.Equal(0, p.OffsetLag));
        if (version >= 4)
        {
            Assert.True(dir.TotalBytes > 0);
            Assert.True(dir.UsableBytes > 0);
        }

        var filtered = await broker.Send<DescribeLogDirsResponse>(new DescribeLogDirsRequest { Topics = [new() { Topic = "sized", Partitions = [1] }] }, version);
        var only = Assert.Single(Assert.Single(filtered.Results).Topics);
        Assert.Equal(1, Assert.Single(only.Partitions).PartitionIndex);
    }
}
