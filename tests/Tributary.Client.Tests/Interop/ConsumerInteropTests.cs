using System.Text;
using Confluent.Kafka;
using Tributary.Client.Consumer;
using Tributary.Client.Tests.Support;
using Tributary.TestSupport;
using AutoOffsetReset = Tributary.Client.Consumer.AutoOffsetReset;

namespace Tributary.Client.Tests.Interop;

/// <summary>Confluent.Kafka's producer writes to librdkafka's mock cluster; our consumer reads.</summary>
public sealed class ConsumerInteropTests
{
    private static async Task<List<(string Key, string Value, int Partition, long Offset)>> ProduceWithConfluentAsync(MockKafkaCluster cluster, string topic,
        int count, Confluent.Kafka.CompressionType compression)
    {
        await cluster.CreateTopicAsync(topic);
        var config = RealClients.ProducerConfig(cluster.BootstrapServers);
        config.CompressionType = compression;
        config.LingerMs = 5;
        config.Partitioner = Partitioner.Murmur2Random;
        using var producer = new ProducerBuilder<byte[], byte[]>(config).Build();
        var sent = new List<(string, string, int, long)>();
        for (var i = 0; i < count; i++)
        {
            var headers = new Headers { { "n", Encoding.UTF8.GetBytes(i.ToString(System.Globalization.CultureInfo.InvariantCulture)) }, { "nil", null } };
            var result = await producer.ProduceAsync(topic, new Message<byte[], byte[]>
            {
                Key = Encoding.UTF8.GetBytes($"k{i % 5}"),
                Value = Encoding.UTF8.GetBytes($"v{i}"),
                Headers = headers,
            });
            sent.Add(($"k{i % 5}", $"v{i}", result.Partition.Value, result.Offset.Value));
        }

        producer.Flush(TimeSpan.FromSeconds(10));
        return sent;
    }

    [Theory]
    [InlineData(Confluent.Kafka.CompressionType.None)]
    [InlineData(Confluent.Kafka.CompressionType.Gzip)]
    [InlineData(Confluent.Kafka.CompressionType.Snappy)]
    [InlineData(Confluent.Kafka.CompressionType.Lz4)]
    [InlineData(Confluent.Kafka.CompressionType.Zstd)]
    public async Task WeReadWhatConfluentProduces(Confluent.Kafka.CompressionType compression)
    {
        using var cluster = MockKafkaCluster.Start(2);
        var topic = "theirs-" + compression.ToString().ToLowerInvariant();
        var sent = await ProduceWithConfluentAsync(cluster, topic, 40, compression);

        await using var consumer = new KafkaConsumer(MockOptions.For(new ConsumerOptions { BootstrapServers = cluster.BootstrapServers, AutoOffsetReset = AutoOffsetReset.Earliest }));
        var partitions = await consumer.Cluster.GetTopicAsync(topic, false, default);
        consumer.Assign(partitions.Partitions.Select(p => new TopicPartition(topic, p.Partition)));
        var received = await PollUntilAsync(consumer, sent.Count);

        Assert.Equal(sent.Count, received.Count);
        foreach (var record in received)
        {
            var value = Encoding.UTF8.GetString(record.Value!);
            var match = sent.Single(s => s.Value == value);
            Assert.Equal(match.Key, Encoding.UTF8.GetString(record.Key!));
            Assert.Equal(match.Partition, record.Partition.Partition);
            Assert.Equal(match.Offset, record.Offset);
            Assert.Equal(value[1..], Encoding.UTF8.GetString(record.Headers.Single(h => h.Key == "n").Value!));
            Assert.Null(record.Headers.Single(h => h.Key == "nil").Value);
            // Confluent's murmur2_random partitioner agrees with ours for keyed records.
            Assert.Equal(Client.Producer.Murmur2.Partition(record.Key, partitions.Partitions.Count), record.Partition.Partition);
        }
    }

    [Fact]
    public async Task SeekMovesThePosition()
    {
        using var cluster = MockKafkaCluster.Start(1);
        const string topic = "seek";
        var sent = await ProduceWithConfluentAsync(cluster, topic, 30, Confluent.Kafka.CompressionType.None);
        var partition = sent.GroupBy(s => s.Partition).OrderByDescending(g => g.Count()).First();
        var tp = new TopicPartition(topic, partition.Key);

        await using var consumer = new KafkaConsumer(MockOptions.For(new ConsumerOptions { BootstrapServers = cluster.BootstrapServers, AutoOffsetReset = AutoOffsetReset.Latest }));
        consumer.Assign([tp]);
        Assert.Empty(await consumer.PollAsync(TimeSpan.FromMilliseconds(300)));
        Assert.Equal(partition.Count(), consumer.Position(tp));

        consumer.Seek(tp, 2);
        var fromTwo = await PollUntilAsync(consumer, partition.Count() - 2);
        Assert.Equal(partition.Skip(2).Select(s => s.Offset), fromTwo.Select(r => r.Offset));

        await consumer.SeekToBeginningAsync([tp]);
        var all = await PollUntilAsync(consumer, partition.Count());
        Assert.Equal(partition.Select(s => s.Value), all.Select(r => Encoding.UTF8.GetString(r.Value!)));
    }

    internal static async Task<List<ConsumeResult>> PollUntilAsync(KafkaConsumer consumer, int count, int seconds = 20)
    {
        var received = new List<ConsumeResult>();
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (received.Count < count && DateTime.UtcNow < deadline)
        {
            received.AddRange(await consumer.PollAsync(TimeSpan.FromMilliseconds(200)));
        }

        return received;
    }
}
