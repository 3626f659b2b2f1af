using System.Text;
using Tributary.Client.Admin;
using Tributary.Client.Consumer;
using Tributary.Client.Producer;
using Tributary.Protocol;
using Tributary.TestSupport;

namespace Tributary.Client.Tests.Broker;

/// <summary>A real `tributary broker` process, shared by the tests of this class.</summary>
public sealed class BrokerFixture : IAsyncLifetime
{
    private BrokerProcess? _broker;

    public BrokerProcess Broker => _broker ?? throw new InvalidOperationException("broker not started");

    public async Task InitializeAsync() => _broker = await BrokerProcess.StartAsync();

    public async Task DisposeAsync()
    {
        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }
    }
}

/// <summary>Our admin client, producer and consumer against Tributary's own broker.</summary>
public sealed class BrokerTests(BrokerFixture fixture) : IClassFixture<BrokerFixture>
{
    private string Bootstrap => fixture.Broker.BootstrapServers;

    [Fact]
    public async Task AdminManagesTopicsAndConfigs()
    {
        await using var admin = new KafkaAdminClient(new ClientOptions { BootstrapServers = Bootstrap });
        var cluster = await admin.DescribeClusterAsync();
        Assert.Equal(1, cluster.Brokers.Single().Id);

        var created = await admin.CreateTopicsAsync([new NewTopic("admin-a", 3, 1) { Configs = new Dictionary<string, string?> { ["retention.ms"] = "3600000" } }]);
        Assert.True(created["admin-a"].IsSuccess, created["admin-a"].ErrorMessage);
        var again = await admin.CreateTopicsAsync([new NewTopic("admin-a", 3, 1)]);
        Assert.Equal(ErrorCode.TopicAlreadyExists, again["admin-a"].Error);

        var described = await admin.DescribeTopicsAsync(["admin-a", "admin-missing"]);
        Assert.Equal(3, described["admin-a"].Partitions.Count);
        Assert.All(described["admin-a"].Partitions, p => Assert.Equal(1, p.Leader));
        Assert.Equal(ErrorCode.UnknownTopicOrPartition, described["admin-missing"].Error);

        var configs = (await admin.DescribeConfigsAsync([ConfigResource.Topic("admin-a")])).Single();
        Assert.True(configs.Result.IsSuccess);
        Assert.Equal("3600000", configs.ByName["retention.ms"].Value);

        var altered = await admin.IncrementalAlterConfigsAsync(new Dictionary<ConfigResource, IReadOnlyList<ConfigAlteration>>
        {
            [ConfigResource.Topic("admin-a")] = [ConfigAlteration.Set("cleanup.policy", "compact"), ConfigAlteration.Delete("retention.ms")],
        });
        Assert.True(altered.Single().Value.IsSuccess, altered.Single().Value.ErrorMessage);
        var after = (await admin.DescribeConfigsAsync([ConfigResource.Topic("admin-a")])).Single().ByName;
        Assert.Equal("compact", after["cleanup.policy"].Value);
        Assert.NotEqual("3600000", after["retention.ms"].Value);

        var grown = await admin.CreatePartitionsAsync(new Dictionary<string, int> { ["admin-a"] = 5 });
        Assert.True(grown["admin-a"].IsSuccess, grown["admin-a"].ErrorMessage);
        Assert.Equal(5, (await admin.DescribeTopicsAsync(["admin-a"]))["admin-a"].Partitions.Count);

        var deleted = await admin.DeleteTopicsAsync(["admin-a"]);
        Assert.True(deleted["admin-a"].IsSuccess, deleted["admin-a"].ErrorMessage);
        Assert.DoesNotContain(await admin.ListTopicsAsync(), t => t.Name == "admin-a");
    }

    [Fact]
    public async Task QuorumAndReassignmentAnswersAreReadOrClearlyUnsupported()
    {
        await using var admin = new KafkaAdminClient(new ClientOptions { BootstrapServers = Bootstrap, Retries = 1 });
        try
        {
            var quorum = await admin.DescribeQuorumAsync();
            Assert.Equal(1, quorum.LeaderId);
            var voter = Assert.Single(quorum.Voters);
            Assert.Equal(1, voter.ReplicaId);
            Assert.Equal(0, quorum.LagOf(voter));
        }
        catch (KafkaException ex)
        {
            Assert.Equal(ErrorCode.UnsupportedVersion, ex.ErrorCode);
        }

        try
        {
            Assert.Empty(await admin.ListPartitionReassignmentsAsync());
        }
        catch (KafkaException ex)
        {
            Assert.Equal(ErrorCode.UnsupportedVersion, ex.ErrorCode);
        }
    }

    [Fact]
    public async Task ProduceConsumeAndCommitThroughAGroup()
    {
        await using (var admin = new KafkaAdminClient(new ClientOptions { BootstrapServers = Bootstrap }))
        {
            Assert.True((await admin.CreateTopicsAsync([new NewTopic("flow", 2, 1)]))["flow"].IsSuccess);
        }

        await using (var producer = new KafkaProducer(new ProducerOptions { BootstrapServers = Bootstrap, Compression = Protocol.Records.CompressionType.Zstd }))
        {
            var sends = Enumerable.Range(0, 50).Select(i => producer.ProduceAsync("flow", Encoding.UTF8.GetBytes($"k{i % 3}"), Encoding.UTF8.GetBytes($"v{i}"))).ToList();
            await producer.FlushAsync();
            var results = await Task.WhenAll(sends);
            Assert.All(results, r => Assert.True(r.Offset >= 0));
        }

        await using (var consumer = new KafkaConsumer(new ConsumerOptions
        {
            BootstrapServers = Bootstrap,
            GroupId = "flow-group",
            AutoOffsetReset = AutoOffsetReset.Earliest,
            HeartbeatInterval = TimeSpan.FromMilliseconds(200),
        }))
        {
            consumer.Subscribe(["flow"]);
            var records = await Interop.ConsumerInteropTests.PollUntilAsync(consumer, 50);
            Assert.Equal(Enumerable.Range(0, 50).Select(i => $"v{i}").Order(), records.Select(r => Encoding.UTF8.GetString(r.Value!)).Order());
            await consumer.CommitAsync();
        }

        await using (var admin = new KafkaAdminClient(new ClientOptions { BootstrapServers = Bootstrap }))
        {
            var offsets = await admin.ListConsumerGroupOffsetsAsync("flow-group");
            Assert.Equal(50, offsets.Values.Sum(o => o.Offset));
            var groups = await admin.ListGroupsAsync();
            Assert.Contains(groups, g => g.GroupId == "flow-group");
            var ends = await admin.ListOffsetsAsync(new Dictionary<TopicPartition, OffsetSpec>
            {
                [new("flow", 0)] = OffsetSpec.Latest,
                [new("flow", 1)] = OffsetSpec.Latest,
            });
            Assert.Equal(50, ends.Values.Sum(e => e.Offset));
        }
    }
}
