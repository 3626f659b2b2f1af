using Confluent.Kafka;
using Tributary.Server.Tests.Support;
using Tributary.TestSupport;
using Xunit.Abstractions;

namespace Tributary.Server.Tests.Cluster;

/// <summary>
/// KRaft's other deployment shape: 3 broker-only nodes (racks a, b, c) and 3 dedicated controllers
/// (process.roles=controller). Each controller is SIGKILLed in turn, the active one whenever it has not
/// been killed yet; with any one of them down, topics can be created and an idempotent acks=all
/// producer's records are stored exactly once and in order. The killed controller is restarted and
/// caught up before the next one goes.
/// </summary>
[Trait("Category", "Cluster")]
public sealed class DedicatedControllerTests(ITestOutputHelper log)
{
    private const int Records = 300;

    [ClusterFact]
    public async Task ProduceAndTopicCreationSurviveTheLossOfAnyDedicatedController()
    {
        await using var cluster = await ClusterProcess.StartAsync(3, "a,b,c", dedicatedControllers: 3);
        try
        {
            await RunAsync(cluster);
        }
        catch
        {
            DumpNodeOutput(cluster);
            throw;
        }
    }

    private async Task RunAsync(ClusterProcess cluster)
    {
        var bootstrap = cluster.BootstrapServers;
        var controllers = cluster.Controllers.Select(n => n.Id).ToList();
        Assert.Equal([4, 5, 6], controllers);
        Assert.Equal([1, 2, 3], cluster.Brokers.Select(n => n.Id));
        Assert.All(cluster.Controllers, n => Assert.False(n.IsBroker));
        Assert.Equal(string.Join(',', cluster.Brokers.Select(n => n.BootstrapAddress)), bootstrap);

        // Dedicated controllers never register as brokers: clients see exactly the three brokers.
        using (var admin = ClusterAdmin.Admin(bootstrap))
        {
            Assert.Equal([1, 2, 3], admin.GetMetadata(TimeSpan.FromSeconds(10)).Brokers.Select(b => b.BrokerId).Order());
        }

        var first = Topics.UniqueName("dedicated");
        await CreateReplicatedTopicAsync(bootstrap, first);
        for (var p = 0; p < 3; p++)
        {
            await ClusterAdmin.WaitForFullIsrAsync(bootstrap, first, p, 3);
        }

        var killed = new HashSet<int>();
        while (killed.Count < controllers.Count)
        {
            var active = await QuorumAdmin.WaitForActiveControllerAsync(cluster, log.WriteLine);
            var victim = killed.Contains(active) ? controllers.First(c => !killed.Contains(c)) : active;
            log.WriteLine($"SIGKILL controller {victim} ({(victim == active ? "active" : "standby")})");
            await cluster.KillAsync(victim);
            killed.Add(victim);

            var successor = await QuorumAdmin.WaitForActiveControllerAsync(cluster, log.WriteLine);
            Assert.NotEqual(victim, successor);

            var topic = Topics.UniqueName($"ded{victim}");
            await CreateReplicatedTopicAsync(bootstrap, topic);
            await ProduceAndVerifyAsync(bootstrap, topic);

            log.WriteLine($"restart controller {victim}");
            await cluster.RestartAsync(victim);
            await QuorumAdmin.WaitUntilVoterCaughtUpAsync(cluster, victim);
        }

        // The first topic, created before any kill, still reads back and takes writes.
        await ProduceAndVerifyAsync(bootstrap, first);
    }

    private static async Task CreateReplicatedTopicAsync(string bootstrap, string topic)
    {
        await ClusterAdmin.CreateTopicAsync(bootstrap, topic, 3, 3, new Dictionary<string, string> { ["min.insync.replicas"] = "2" });
        TopicMetadata? placed = null;
        // CreateTopics returns once the controllers committed the topic; the broker a client asks
        // learns it when it replays that record (after a controller failover, once it found the new
        // Raft leader), so its metadata may briefly not list the topic yet.
        await ClusterAdmin.Eventually(() =>
        {
            try
            {
                placed = ClusterAdmin.Topic(bootstrap, topic);
                return Task.FromResult(placed.Error.Code == ErrorCode.NoError && placed.Partitions.Count == 3 && placed.Partitions.All(p => p.Leader >= 0));
            }
            catch (Exception e) when (e is KafkaException or InvalidOperationException)
            {
                return Task.FromResult(false);
            }
        }, () => $"a leader for every partition of {topic} (last: {placed?.Error.Code}, leaders [{string.Join(',', placed?.Partitions.Select(p => p.Leader) ?? [])}])");

        Assert.All(placed!.Partitions, p => Assert.Equal([1, 2, 3], p.Replicas.Order()));
    }

    private static async Task ProduceAndVerifyAsync(string bootstrap, string topic)
    {
        var config = RealClients.ProducerConfig(bootstrap);
        config.Acks = Acks.All;
        config.EnableIdempotence = true;
        config.MessageTimeoutMs = 60_000;
        using (var producer = new ProducerBuilder<string, string>(config).Build())
        {
            // Pipelined, as a real producer sends: idempotence must keep the order per partition.
            var sends = Enumerable.Range(0, Records)
                .Select(i => producer.ProduceAsync(new TopicPartition(topic, i % 3), new Message<string, string> { Key = "k", Value = $"seq-{i}" }))
                .ToList();
            foreach (var result in await Task.WhenAll(sends))
            {
                Assert.Equal(PersistenceStatus.Persisted, result.Status);
            }
        }

        for (var p = 0; p < 3; p++)
        {
            var partition = p;
            Assert.Equal(Enumerable.Range(0, Records).Where(i => i % 3 == partition),
                ClusterAdmin.ReadAll(bootstrap, topic, p).Select(r => SequenceCheck.ParseSeq(r.Message.Value)));
        }
    }

    private void DumpNodeOutput(ClusterProcess cluster)
    {
        foreach (var node in cluster.Nodes)
        {
            var output = cluster.Output(node.Id);
            log.WriteLine($"==== node {node.Id} ({(node.IsBroker ? "broker" : "controller")}), last 60 lines, data in {cluster.DataDir}");
            foreach (var line in output.Split('\n').TakeLast(60))
            {
                log.WriteLine(line.TrimEnd('\r'));
            }
        }
    }
}
