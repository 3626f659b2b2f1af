using Confluent.Kafka;
using Tributary.Server.Tests.Support;
using Tributary.TestSupport;
using Xunit.Abstractions;

namespace Tributary.Server.Tests.Cluster;

/// <summary>
/// A follower restarted on its own data dir fetches only what it missed; one whose disk was
/// replaced re-replicates everything and rejoins the ISR.
/// </summary>
[Trait("Category", "Cluster")]
public sealed class ReplicaCatchUpTests(ITestOutputHelper log)
{
    private const string BytesOut = "kafka_server_brokertopicmetrics_bytesout_total";

    [ClusterFact]
    public async Task RestartedFollowerFetchesOnlyTheTailAndAnEmptyOneFetchesEverything()
    {
        await using var cluster = await ClusterProcess.StartAsync(3, "a,b,c");
        var bootstrap = cluster.BootstrapServers;
        var topic = Topics.UniqueName("catchup");
        await ClusterAdmin.CreateTopicAsync(bootstrap, topic, 1, 3, new Dictionary<string, string> { ["min.insync.replicas"] = "2" });
        var partition = await ClusterAdmin.WaitForFullIsrAsync(bootstrap, topic, 0);
        // Not the preferred leader (replicas[0]): leadership must not move to it when it comes back.
        var follower = partition.Replicas.First(r => r != partition.Leader && r != partition.Replicas[0]);
        var leader = partition.Leader;

        Produce(bootstrap, topic, 0, 20_000);
        await ClusterAdmin.WaitForFullIsrAsync(bootstrap, topic, 0);
        var head = cluster.PartitionLogBytes(leader, topic, 0);

        await cluster.StopAsync(follower);
        Produce(bootstrap, topic, 20_000, 2_000);
        var total = cluster.PartitionLogBytes(leader, topic, 0);
        var tail = total - head;
        var before = ClusterAdmin.MetricValue(await cluster.MetricsAsync(leader), BytesOut);

        await cluster.RestartAsync(follower);
        await ClusterAdmin.WaitForFullIsrAsync(bootstrap, topic, 0);
        await ClusterAdmin.Eventually(() => Task.FromResult(cluster.PartitionLogBytes(follower, topic, 0) == cluster.PartitionLogBytes(leader, topic, 0)),
            "the restarted follower's log to match the leader's");
        var sent = ClusterAdmin.MetricValue(await cluster.MetricsAsync(leader), BytesOut) - before;
        log.WriteLine($"log {total} bytes, tail {tail} bytes, leader sent {sent} bytes while the follower caught up");

        Assert.Equal(leader, ClusterAdmin.Partition(bootstrap, topic, 0).Leader);
        Assert.True(sent >= tail, $"the follower must have fetched the {tail}-byte tail, the leader sent {sent}");
        Assert.True(sent < head / 2.0, $"the follower re-fetched {sent} bytes, more than the tail ({tail}) plus slack: it should not copy the {head}-byte head again");

        // Now with its disk replaced: everything comes from the leader and the replica rejoins the ISR.
        await cluster.StopAsync(follower);
        cluster.WipeData(follower);
        await cluster.RestartAsync(follower);
        await ClusterAdmin.WaitForFullIsrAsync(bootstrap, topic, 0);
        await ClusterAdmin.Eventually(() => Task.FromResult(cluster.PartitionLogBytes(follower, topic, 0) == cluster.PartitionLogBytes(leader, topic, 0)),
            "the wiped follower's log to match the leader's");
        Assert.Contains(follower, ClusterAdmin.Partition(bootstrap, topic, 0).InSyncReplicas);

        // The rebuilt replica can serve as leader with every record intact.
        await cluster.StopAsync(leader);
        await ClusterAdmin.Eventually(() => Task.FromResult(ClusterAdmin.Partition(bootstrap, topic, 0).Leader is var l && l >= 0 && l != leader), "a new leader");
        var records = ClusterAdmin.ReadAll(bootstrap, topic, 0);
        Assert.Equal(Enumerable.Range(0, 22_000), records.Select(r => SequenceCheck.ParseSeq(r.Message.Value)));
    }

    private static void Produce(string bootstrap, string topic, int from, int count)
    {
        var config = RealClients.ProducerConfig(bootstrap);
        config.Acks = Acks.All;
        config.EnableIdempotence = true;
        config.LingerMs = 5;
        var padding = new string('x', 900);
        using var producer = new ProducerBuilder<string, string>(config).Build();
        var errors = 0;
        for (var i = from; i < from + count; i++)
        {
            producer.Produce(topic, new Message<string, string> { Key = padding, Value = $"seq-{i}" }, r =>
            {
                if (r.Error.IsError)
                {
                    Interlocked.Increment(ref errors);
                }
            });
            if (i % 1000 == 0)
            {
                producer.Poll(TimeSpan.Zero);
            }
        }

        producer.Flush(TimeSpan.FromMinutes(2));
        Assert.Equal(0, errors);
    }
}
