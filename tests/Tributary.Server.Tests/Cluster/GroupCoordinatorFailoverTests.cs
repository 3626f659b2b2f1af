using Confluent.Kafka;
using Tributary.Server.Tests.Support;
using Tributary.TestSupport;
using Xunit.Abstractions;

namespace Tributary.Server.Tests.Cluster;

/// <summary>
/// A consumer group keeps its committed offsets and keeps working when the broker leading its
/// <c>__consumer_offsets</c> partition (its coordinator) is killed.
/// </summary>
[Trait("Category", "Cluster")]
public sealed class GroupCoordinatorFailoverTests(ITestOutputHelper log)
{
    private const int OffsetsPartitions = 50; // offsets.topic.num.partitions default, which `tributary dev` keeps

    [ClusterFact]
    public async Task ConsumerGroupSurvivesCoordinatorFailover()
    {
        await using var cluster = await ClusterProcess.StartAsync(3, "a,b,c");
        var bootstrap = cluster.BootstrapServers;
        var topic = Topics.UniqueName("groups");
        await ClusterAdmin.CreateTopicAsync(bootstrap, topic, 3, 3, new Dictionary<string, string> { ["min.insync.replicas"] = "2" });
        var producerConfig = RealClients.ProducerConfig(bootstrap);
        producerConfig.Acks = Acks.All;
        using (var producer = new ProducerBuilder<string, string>(producerConfig).Build())
        {
            for (var i = 0; i < 3000; i++)
            {
                producer.Produce(new TopicPartition(topic, i % 3), new Message<string, string> { Key = "k", Value = $"seq-{i}" });
            }

            Assert.Equal(0, producer.Flush(TimeSpan.FromMinutes(1)));
        }

        var group = "group-" + Guid.NewGuid().ToString("N");
        var seen = new List<int>();
        Consume(bootstrap, topic, group, 1500, seen);

        // Kafka's coordinator for a group: leader of __consumer_offsets partition Utils.abs(hashCode(group)) % partitions,
        // the broker's own rule (a masked hash differs for negative hashes and would kill the wrong broker).
        var offsetsPartition = Tributary.Broker.Groups.GroupPartitioner.PartitionFor(group, OffsetsPartitions);
        await ClusterAdmin.WaitForFullIsrAsync(bootstrap, "__consumer_offsets", offsetsPartition);
        var coordinator = ClusterAdmin.Partition(bootstrap, "__consumer_offsets", offsetsPartition).Leader;
        log.WriteLine($"group {group} -> __consumer_offsets-{offsetsPartition}, coordinator {coordinator}: SIGKILL");
        await cluster.KillAsync(coordinator);

        // The next member resumes from the committed offsets on the new coordinator: nothing twice, nothing lost.
        Consume(bootstrap, topic, group, 1500, seen);
        Assert.Equal(Enumerable.Range(0, 3000), seen.Order());

        await cluster.RestartAsync(coordinator);
    }

    /// <summary>Consumes <paramref name="count"/> records in the group, committing each synchronously, then leaves.</summary>
    private static void Consume(string bootstrap, string topic, string group, int count, List<int> seen)
    {
        var config = RealClients.ConsumerConfig(bootstrap, group);
        config.SessionTimeoutMs = 10_000;
        using var consumer = new ConsumerBuilder<string, string>(config).Build();
        consumer.Subscribe(topic);
        var deadline = DateTime.UtcNow.AddMinutes(3);
        var taken = 0;
        while (taken < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"consumed only {taken} of {count}");
            var result = consumer.Consume(TimeSpan.FromMilliseconds(500));
            if (result is null || result.IsPartitionEOF)
            {
                continue;
            }

            seen.Add(SequenceCheck.ParseSeq(result.Message.Value));
            taken++;
            CommitWithRetry(consumer, result);
        }

        consumer.Close();
    }

    private static void CommitWithRetry(IConsumer<string, string> consumer, ConsumeResult<string, string> result)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                consumer.Commit(result);
                return;
            }
            catch (KafkaException) when (attempt < 60)
            {
                Thread.Sleep(500); // the coordinator is moving
            }
        }
    }
}
