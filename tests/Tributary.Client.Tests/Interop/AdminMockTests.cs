using System.Text;
using Tributary.Client.Admin;
using Tributary.Client.Producer;
using Tributary.Client.Tests.Support;
using Tributary.Protocol;
using Tributary.TestSupport;

namespace Tributary.Client.Tests.Interop;

/// <summary>The admin operations librdkafka's mock serves (Metadata, ListOffsets, OffsetFetch), and clear errors for the rest.</summary>
public sealed class AdminMockTests
{
    [Fact]
    public async Task DescribesClusterTopicsAndOffsets()
    {
        using var cluster = MockKafkaCluster.Start(3);
        await cluster.CreateTopicAsync("alpha");
        await cluster.CreateTopicAsync("beta");
        await using (var producer = new KafkaProducer(MockOptions.For(new ProducerOptions { BootstrapServers = cluster.BootstrapServers })))
        {
            for (var i = 0; i < 7; i++)
            {
                await producer.ProduceAsync(new ProducerRecord("alpha", null, Encoding.UTF8.GetBytes($"v{i}")) { Partition = 1 });
            }
        }

        await using var admin = new KafkaAdminClient(MockOptions.For(new ClientOptions { BootstrapServers = cluster.BootstrapServers }));
        var description = await admin.DescribeClusterAsync();
        Assert.Equal(new[] { 1, 2, 3 }, description.Brokers.Select(b => b.Id));
        Assert.Equal(cluster.BootstrapServers, string.Join(',', description.Brokers.Select(b => b.Endpoint.ToString())));

        var topics = await admin.ListTopicsAsync();
        Assert.Contains(topics, t => t.Name == "alpha");
        Assert.Contains(topics, t => t.Name == "beta");

        var described = await admin.DescribeTopicsAsync(["alpha"]);
        var alpha = described["alpha"];
        Assert.Equal(ErrorCode.None, alpha.Error);
        Assert.NotEmpty(alpha.Partitions);
        Assert.All(alpha.Partitions, p =>
        {
            Assert.Contains(p.Leader, description.Brokers.Select(b => b.Id));
            Assert.Contains(p.Leader, p.Replicas);
            Assert.Contains(p.Leader, p.Isr);
        });

        var tp = new TopicPartition("alpha", 1);
        var offsets = await admin.ListOffsetsAsync(new Dictionary<TopicPartition, OffsetSpec>
        {
            [tp] = OffsetSpec.Latest,
            [new TopicPartition("alpha", 0)] = OffsetSpec.Latest,
        });
        Assert.Equal(7, offsets[tp].Offset);
        Assert.Equal(0, offsets[new TopicPartition("alpha", 0)].Offset);
        var earliest = await admin.ListOffsetsAsync(new Dictionary<TopicPartition, OffsetSpec> { [tp] = OffsetSpec.Earliest });
        Assert.Equal(0, earliest[tp].Offset);
    }

    [Fact]
    public async Task ApisTheMockLacksFailWithUnsupportedVersion()
    {
        using var cluster = MockKafkaCluster.Start(1);
        await using var admin = new KafkaAdminClient(MockOptions.For(new ClientOptions { BootstrapServers = cluster.BootstrapServers }));
        var create = await Assert.ThrowsAsync<KafkaException>(() => admin.CreateTopicsAsync([new NewTopic("x", 1, 1)]));
        Assert.Equal(ErrorCode.UnsupportedVersion, create.ErrorCode);
        Assert.Contains("CreateTopics", create.Message, StringComparison.Ordinal);
        var configs = await Assert.ThrowsAsync<KafkaException>(() => admin.DescribeConfigsAsync([ConfigResource.Topic("x")]));
        Assert.Equal(ErrorCode.UnsupportedVersion, configs.ErrorCode);
        var quorum = await Assert.ThrowsAsync<KafkaException>(() => admin.DescribeQuorumAsync());
        Assert.Equal(ErrorCode.UnsupportedVersion, quorum.ErrorCode);
    }
}
