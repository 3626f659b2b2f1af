using System.Collections.Concurrent;
using Confluent.Kafka;
using Tributary.Server.Tests.Support;
using Tributary.TestSupport;

namespace Tributary.Server.Tests;

/// <summary>
/// kill -9 of the broker while producing with fsync-before-ack: after restart every acknowledged
/// record is there at its acknowledged offset, the log is consistent, and fetches and produces work.
/// </summary>
public sealed class CrashRecoveryTests
{
    [Fact]
    public async Task AcknowledgedRecordsSurviveKillNine()
    {
        var config = new Dictionary<string, string> { ["log.flush.interval.messages"] = "1" };
        await using var broker = await BrokerProcess.StartAsync(config);
        var bootstrap = broker.BootstrapServers;
        var topic = Topics.UniqueName("crash");
        await Topics.CreateAsync(bootstrap, topic, 2);

        var acked = new ConcurrentDictionary<string, (int Partition, long Offset)>();
        var producerConfig = RealClients.ProducerConfig(bootstrap);
        producerConfig.Acks = Acks.All;
        producerConfig.MessageTimeoutMs = 5000;
        producerConfig.LingerMs = 1;
        using (var producer = new ProducerBuilder<string, string>(producerConfig).Build())
        {
            var i = 0;
            var killAt = DateTime.UtcNow.AddSeconds(3);
            while (DateTime.UtcNow < killAt || acked.IsEmpty)
            {
                var value = "r" + i++;
                producer.Produce(topic, new Message<string, string> { Key = value, Value = value }, report =>
                {
                    if (report.Error.Code == ErrorCode.NoError)
                    {
                        acked[report.Message.Value] = (report.Partition.Value, report.Offset.Value);
                    }
                });
                if (i % 100 == 0)
                {
                    producer.Poll(TimeSpan.Zero);
                    await Task.Delay(1);
                }
            }

            broker.Kill();
            producer.Flush(TimeSpan.FromSeconds(10));
        }

        var ackedSnapshot = acked.ToDictionary();
        Assert.NotEmpty(ackedSnapshot);
        await broker.StartAgainAsync();

        var consumerConfig = RealClients.ConsumerConfig(bootstrap, "crash-" + Guid.NewGuid().ToString("N"));
        consumerConfig.EnablePartitionEof = true;
        var stored = new Dictionary<string, (int Partition, long Offset)>();
        using (var consumer = new ConsumerBuilder<string, string>(consumerConfig).Build())
        {
            consumer.Assign([new TopicPartitionOffset(topic, 0, Offset.Beginning), new TopicPartitionOffset(topic, 1, Offset.Beginning)]);
            var eof = new HashSet<int>();
            var lastOffset = new Dictionary<int, long>();
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (eof.Count < 2 && DateTime.UtcNow < deadline)
            {
                var result = consumer.Consume(TimeSpan.FromMilliseconds(500));
                if (result is null)
                {
                    continue;
                }

                if (result.IsPartitionEOF)
                {
                    eof.Add(result.Partition.Value);
                    continue;
                }

                // Offsets within a partition strictly increase: a consistent log.
                if (lastOffset.TryGetValue(result.Partition.Value, out var previous))
                {
                    Assert.True(result.Offset.Value > previous);
                }

                lastOffset[result.Partition.Value] = result.Offset.Value;
                Assert.True(stored.TryAdd(result.Message.Value, (result.Partition.Value, result.Offset.Value)), $"{result.Message.Value} stored twice");
            }

            Assert.Equal(2, eof.Count);
        }

        foreach (var (value, position) in ackedSnapshot)
        {
            Assert.True(stored.TryGetValue(value, out var found), $"acknowledged record {value} lost");
            Assert.Equal(position, found);
        }

        // The recovered broker keeps serving produce and fetch.
        using var after = new ProducerBuilder<string, string>(RealClients.ProducerConfig(bootstrap)).Build();
        var report = await after.ProduceAsync(new TopicPartition(topic, 0), new Message<string, string> { Key = "after", Value = "after" });
        Assert.Equal(PersistenceStatus.Persisted, report.Status);
    }
}
