using Confluent.Kafka;
using Tributary.Server.Tests.Cluster;
using Tributary.Server.Tests.Support;
using Tributary.TestSupport;

namespace Tributary.Server.Tests;

/// <summary>
/// A compacted topic on a broker process, cleaned by its background cleaner (log.cleaner.backoff.ms
/// set low), read from the start by a Confluent consumer: only each key's newest value is left, the
/// batches emptied by cleaning (an idempotent producer's last one stays as a header) are read
/// through, and the producer whose records were all superseded goes on producing.
/// </summary>
public sealed class CompactionTests
{
    private const int Keys = 10;

    [Fact]
    public async Task BackgroundCleaningLeavesTheNewestValuesAndClientsReadThroughIt()
    {
        await using var broker = await BrokerProcess.StartAsync(new Dictionary<string, string> { ["log.cleaner.backoff.ms"] = "100" });
        var bootstrap = broker.BootstrapServers;
        var topic = Topics.UniqueName("compacted");
        await ClusterAdmin.CreateTopicAsync(bootstrap, topic, 1, 1, new Dictionary<string, string>
        {
            ["cleanup.policy"] = "compact",
            ["segment.bytes"] = "8192",
            ["min.cleanable.dirty.ratio"] = "0.01",
        });

        var config = RealClients.ProducerConfig(bootstrap);
        config.EnableIdempotence = true;
        config.LingerMs = 0;
        using var first = new ProducerBuilder<string, string>(config).Build();
        for (var i = 0; i < Keys; i++)
        {
            await first.ProduceAsync(topic, new Message<string, string> { Key = $"k{i}", Value = $"old-{i}" }); // a batch each
        }

        // A batch larger than segment.bytes is refused (as Kafka does), and librdkafka does not split.
        config.BatchSize = 2048;
        var failures = 0;
        using (var second = new ProducerBuilder<string, string>(config).Build())
        {
            for (var i = 0; i < Keys; i++)
            {
                await second.ProduceAsync(topic, new Message<string, string> { Key = $"k{i}", Value = $"new-{i}" });
            }

            // Distinct keys that roll several 8 KiB segments, so the ones above are in closed segments.
            for (var i = 0; i < 100; i++)
            {
                second.Produce(topic, new Message<string, string> { Key = $"fill{i}", Value = new string('x', 200) }, report => failures += report.Error.IsError ? 1 : 0);
            }

            Assert.Equal(0, second.Flush(TimeSpan.FromSeconds(30)));
            Assert.Equal(0, failures);
        }

        List<ConsumeResult<string, string>> records = [];
        await ClusterAdmin.Eventually(() =>
        {
            records = ClusterAdmin.ReadAll(bootstrap, topic, 0);
            return Task.FromResult(!records.Any(r => r.Message.Value.StartsWith("old-", StringComparison.Ordinal)));
        }, "the cleaner removes the superseded values", TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(200));

        Assert.Equal(Enumerable.Range(0, Keys).Select(i => $"new-{i}"), records.Where(r => r.Message.Key.StartsWith('k')).Select(r => r.Message.Value));
        Assert.Equal(100, records.Count(r => r.Message.Key.StartsWith("fill", StringComparison.Ordinal)));
        Assert.Equal(records.Select(r => r.Offset.Value).Order(), records.Select(r => r.Offset.Value));
        Assert.True(records[0].Offset.Value >= Keys, "offsets are kept: the first survivor is past the cleaned ones");

        // The first producer's records are all gone, its state is not: its next batch is in sequence.
        var next = await first.ProduceAsync(topic, new Message<string, string> { Key = "k0", Value = "newest-0" });
        Assert.Equal(PersistenceStatus.Persisted, next.Status);
        var last = ClusterAdmin.ReadAll(bootstrap, topic, 0)[^1];
        Assert.Equal(("k0", "newest-0", next.Offset.Value), (last.Message.Key, last.Message.Value, last.Offset.Value));
    }
}
