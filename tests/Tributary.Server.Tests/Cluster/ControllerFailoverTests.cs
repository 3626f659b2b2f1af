using Confluent.Kafka;
using Tributary.Server.Tests.Support;
using Tributary.TestSupport;
using Xunit.Abstractions;

namespace Tributary.Server.Tests.Cluster;

/// <summary>
/// 5 brokers, 3 of them also controllers: with any one controller killed (the active one
/// included, since each is killed in turn) topics can be created and records produced.
/// </summary>
[Trait("Category", "Cluster")]
public sealed class ControllerFailoverTests(ITestOutputHelper log)
{
    [ClusterFact]
    public async Task ProduceAndTopicCreationSurviveTheLossOfAnyController()
    {
        await using var cluster = await ClusterProcess.StartAsync(5, "a,b,c", controllers: 3);
        var bootstrap = cluster.BootstrapServers;
        foreach (var controller in cluster.Nodes.Where(n => n.IsController).Select(n => n.Id))
        {
            log.WriteLine($"SIGKILL controller {controller}");
            await cluster.KillAsync(controller);

            var topic = Topics.UniqueName($"ctl{controller}");
            await ClusterAdmin.CreateTopicAsync(bootstrap, topic, 3, 3, new Dictionary<string, string> { ["min.insync.replicas"] = "2" });
            for (var p = 0; p < 3; p++)
            {
                await ClusterAdmin.Eventually(() => Task.FromResult(ClusterAdmin.Partition(bootstrap, topic, p).Leader >= 0), $"a leader for {topic}-{p}");
            }

            await ProduceAndVerifyAsync(bootstrap, topic);

            await cluster.RestartAsync(controller);
        }
    }

    private static async Task ProduceAndVerifyAsync(string bootstrap, string topic)
    {
        var config = RealClients.ProducerConfig(bootstrap);
        config.Acks = Acks.All;
        config.EnableIdempotence = true;
        config.MessageTimeoutMs = 60_000;
        using var producer = new ProducerBuilder<string, string>(config).Build();
        for (var i = 0; i < 300; i++)
        {
            var result = await producer.ProduceAsync(new TopicPartition(topic, i % 3), new Message<string, string> { Key = "k", Value = $"seq-{i}" });
            Assert.Equal(PersistenceStatus.Persisted, result.Status);
        }

        for (var p = 0; p < 3; p++)
        {
            var partition = p;
            Assert.Equal(Enumerable.Range(0, 300).Where(i => i % 3 == partition),
                ClusterAdmin.ReadAll(bootstrap, topic, p).Select(r => SequenceCheck.ParseSeq(r.Message.Value)));
        }
    }
}
