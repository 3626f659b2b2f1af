using System.Globalization;
using Confluent.Kafka;
using Tributary.Server.Tests.Support;
using Tributary.TestSupport;

namespace Tributary.Server.Tests;

/// <summary>
/// A three-member Confluent.Kafka group splits six partitions, rebalances when a member leaves,
/// commits; after a broker restart a new member resumes from the committed offsets.
/// </summary>
public sealed class ConsumerGroupTests
{
    private const int Partitions = 6;

    [Fact]
    public async Task GroupSplitsRebalancesCommitsAndResumesAfterRestart()
    {
        await using var broker = await BrokerProcess.StartAsync();
        var bootstrap = broker.BootstrapServers;
        var topic = Topics.UniqueName("group");
        var group = "g-" + Guid.NewGuid().ToString("N");
        await Topics.CreateAsync(bootstrap, topic, Partitions);
        await ProduceAsync(bootstrap, topic, first: 0, perPartition: 50);

        var members = Enumerable.Range(0, 3).Select(_ => NewConsumer(bootstrap, group, topic)).ToList();
        try
        {
            // All three members share the six partitions, two each, and read everything. While
            // members are still joining, a partition may move before its first commit, so a record
            // can be read twice here: that is Kafka's at-least-once, not a broker fault.
            var joining = new HashSet<string>();
            PollUntil(members, joining, () => members.All(m => m.Assignment.Count == 2) && DistinctPartitions(members) == Partitions
                && joining.Count == Partitions * 50, allowRedelivery: true);
            foreach (var member in members)
            {
                member.Commit();
            }

            // One member leaves: the other two take over all six partitions and continue from the
            // committed offsets, so each new record arrives exactly once and no old one again.
            members[2].Close();
            members[2].Dispose();
            members.RemoveAt(2);
            var afterLeave = new HashSet<string>();
            PollUntil(members, afterLeave, () => members.All(m => m.Assignment.Count == 3) && DistinctPartitions(members) == Partitions);
            Assert.Empty(afterLeave);
            await ProduceAsync(bootstrap, topic, first: 50, perPartition: 10);
            PollUntil(members, afterLeave, () => afterLeave.Count >= Partitions * 10);
            Assert.Equal(Expected(50, 10), afterLeave);
            foreach (var member in members)
            {
                member.Commit();
            }
        }
        finally
        {
            foreach (var member in members)
            {
                member.Close();
                member.Dispose();
            }
        }

        // Restart the broker on its data; the committed offsets must survive.
        await ProduceAsync(bootstrap, topic, first: 60, perPartition: 10);
        Assert.Equal(0, await broker.StopAsync());
        await broker.StartAgainAsync();

        using var resumed = NewConsumer(bootstrap, group, topic);
        var afterRestart = new HashSet<string>();
        PollUntil([resumed], afterRestart, () => afterRestart.Count >= Partitions * 10, TimeSpan.FromSeconds(60));
        // Only the records produced after the last commit: nothing lost, nothing re-read.
        Assert.Equal(Expected(60, 10), afterRestart);
        resumed.Close();
    }

    private static HashSet<string> Expected(int first, int perPartition) =>
        Enumerable.Range(0, Partitions).SelectMany(p => Enumerable.Range(first, perPartition).Select(i => $"{p}:{i}")).ToHashSet();

    private static IConsumer<string, string> NewConsumer(string bootstrap, string group, string topic)
    {
        var config = RealClients.ConsumerConfig(bootstrap, group);
        config.SessionTimeoutMs = 10_000;
        config.HeartbeatIntervalMs = 500;
        config.PartitionAssignmentStrategy = PartitionAssignmentStrategy.Range;
        var consumer = new ConsumerBuilder<string, string>(config).Build();
        consumer.Subscribe(topic);
        return consumer;
    }

    private static int DistinctPartitions(IEnumerable<IConsumer<string, string>> members) =>
        members.SelectMany(m => m.Assignment).Select(tp => tp.Partition.Value).Distinct().Count();

    private static void PollUntil(IReadOnlyList<IConsumer<string, string>> members, HashSet<string> seen, Func<bool> done, TimeSpan? timeout = null, bool allowRedelivery = false)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (!done())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out; seen {seen.Count}, assignments: " +
                string.Join(" | ", members.Select(m => string.Join(",", m.Assignment.Select(a => a.Partition.Value)))));
            foreach (var member in members)
            {
                var result = member.Consume(TimeSpan.FromMilliseconds(100));
                if (result is { IsPartitionEOF: false, Message: not null })
                {
                    Assert.True(seen.Add(result.Message.Value) || allowRedelivery, $"record {result.Message.Value} consumed twice");
                }
            }
        }
    }

    private static async Task ProduceAsync(string bootstrap, string topic, int first, int perPartition)
    {
        using var producer = new ProducerBuilder<string, string>(RealClients.ProducerConfig(bootstrap)).Build();
        var deliveries = new List<Task>();
        for (var p = 0; p < Partitions; p++)
        {
            for (var i = first; i < first + perPartition; i++)
            {
                var value = string.Create(CultureInfo.InvariantCulture, $"{p}:{i}");
                deliveries.Add(producer.ProduceAsync(new TopicPartition(topic, p), new Message<string, string> { Key = value, Value = value }));
            }
        }

        await Task.WhenAll(deliveries);
    }
}
