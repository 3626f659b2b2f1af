using System.Collections.Concurrent;
using System.Text;
using Tributary.Client.Admin;
using Tributary.Client.Consumer;
using Tributary.Client.Producer;
using Tributary.Client.Tests.Support;
using Tributary.TestSupport;

namespace Tributary.Client.Tests.Interop;

/// <summary>Classic consumer groups (join, sync, heartbeat, commit, leave) against librdkafka's mock cluster.</summary>
public sealed class ConsumerGroupTests
{
    private static ConsumerOptions Options(MockKafkaCluster cluster, string group) => MockOptions.For(new ConsumerOptions
    {
        BootstrapServers = cluster.BootstrapServers,
        GroupId = group,
        AutoOffsetReset = AutoOffsetReset.Earliest,
        HeartbeatInterval = TimeSpan.FromMilliseconds(100),
        SessionTimeout = TimeSpan.FromSeconds(6),
        RebalanceTimeout = TimeSpan.FromSeconds(6),
    });

    private static async Task ProduceAsync(MockKafkaCluster cluster, string topic, int from, int count)
    {
        await using var producer = new KafkaProducer(MockOptions.For(new ProducerOptions { BootstrapServers = cluster.BootstrapServers }));
        var sends = Enumerable.Range(from, count).Select(i => producer.ProduceAsync(topic, Encoding.UTF8.GetBytes($"k{i}"), Encoding.UTF8.GetBytes($"v{i}"))).ToList();
        await producer.FlushAsync();
        await Task.WhenAll(sends);
    }

    [Fact]
    public async Task CommittedOffsetsAreWhereTheNextMemberStarts()
    {
        using var cluster = MockKafkaCluster.Start(2);
        const string topic = "grouped";
        await cluster.CreateTopicAsync(topic);
        await ProduceAsync(cluster, topic, 0, 30);

        await using (var consumer = new KafkaConsumer(Options(cluster, "g1")))
        {
            consumer.Subscribe([topic]);
            var records = await ConsumerInteropTests.PollUntilAsync(consumer, 30);
            Assert.Equal(30, records.Count);
            Assert.Equal(Enumerable.Range(0, 30).Select(i => $"v{i}").Order(), records.Select(r => Encoding.UTF8.GetString(r.Value!)).Order());
            Assert.NotNull(consumer.Group);
            Assert.Equal(records.Select(r => r.Partition).Distinct().Count(), consumer.Assignment.Intersect(records.Select(r => r.Partition)).Count());
            await consumer.CommitAsync();

            var committed = await consumer.CommittedAsync(consumer.Assignment);
            foreach (var partition in consumer.Assignment)
            {
                Assert.Equal(consumer.Position(partition), committed[partition].Offset);
            }
        }

        await using (var admin = new KafkaAdminClient(MockOptions.For(new ClientOptions { BootstrapServers = cluster.BootstrapServers })))
        {
            var offsets = await admin.ListConsumerGroupOffsetsAsync("g1", Enumerable.Range(0, 4).Select(p => new TopicPartition(topic, p)).ToList());
            Assert.Equal(30, offsets.Values.Where(o => o.Offset > 0).Sum(o => o.Offset));
        }

        await ProduceAsync(cluster, topic, 30, 5);
        await using (var consumer = new KafkaConsumer(Options(cluster, "g1")))
        {
            consumer.Subscribe([topic]);
            var records = await ConsumerInteropTests.PollUntilAsync(consumer, 5);
            Assert.Equal(Enumerable.Range(30, 5).Select(i => $"v{i}").Order(), records.Select(r => Encoding.UTF8.GetString(r.Value!)).Order());
            Assert.Empty(await consumer.PollAsync(TimeSpan.FromMilliseconds(300)));
        }
    }

    [Fact]
    public async Task TwoMembersSplitThePartitions()
    {
        using var cluster = MockKafkaCluster.Start(1);
        const string topic = "split";
        await cluster.CreateTopicAsync(topic);
        await ProduceAsync(cluster, topic, 0, 20);
        await using var first = new KafkaConsumer(Options(cluster, "g2"));
        await using var second = new KafkaConsumer(Options(cluster, "g2"));
        first.Subscribe([topic]);
        second.Subscribe([topic]);

        // Each member polls on its own loop, as an application would: a join blocks its poll until
        // every member has rejoined, so polling both in lock-step would stall the one that must
        // rejoin behind the other's JoinGroup until the rebalance timeout evicts it.
        var received = new ConcurrentBag<ConsumeResult>();
        using var done = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        async Task PollUntilBalanced(KafkaConsumer consumer)
        {
            while (!done.IsCancellationRequested && !(Balanced(first, second) && received.Count >= 20))
            {
                foreach (var record in await consumer.PollAsync(TimeSpan.FromMilliseconds(200), done.Token))
                {
                    received.Add(record);
                }
            }
        }

        try
        {
            await Task.WhenAll(PollUntilBalanced(first), PollUntilBalanced(second));
        }
        catch (OperationCanceledException)
        {
            // The assertions below say what was not reached.
        }

        Assert.True(Balanced(first, second), $"assignments {string.Join(",", first.Assignment)} / {string.Join(",", second.Assignment)}");
        Assert.Equal(first.Group!.GenerationId, second.Group!.GenerationId);
        Assert.Empty(first.Assignment.Intersect(second.Assignment));
        var all = first.Assignment.Concat(second.Assignment).Select(p => p.Partition).Order().ToList();
        Assert.Equal(Enumerable.Range(0, all.Count), all);
        Assert.Equal(20, received.Select(r => (r.Partition, r.Offset)).Distinct().Count());
    }

    private static bool Balanced(KafkaConsumer a, KafkaConsumer b) =>
        a.Group is not null && b.Group is not null && a.Group.GenerationId == b.Group.GenerationId && a.Assignment.Count > 0 && b.Assignment.Count > 0;
}
