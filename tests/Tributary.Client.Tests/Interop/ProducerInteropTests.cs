using System.Text;
using Confluent.Kafka;
using Tributary.Client.Producer;
using Tributary.Protocol.Records;
using Tributary.TestSupport;

namespace Tributary.Client.Tests.Interop;

/// <summary>Our producer against librdkafka's mock cluster, read back by Confluent.Kafka's consumer.</summary>
public sealed class ProducerInteropTests
{
    [Theory]
    [InlineData(Protocol.Records.CompressionType.None, true)]
    [InlineData(Protocol.Records.CompressionType.Gzip, false)]
    [InlineData(Protocol.Records.CompressionType.Snappy, true)]
    [InlineData(Protocol.Records.CompressionType.Lz4, true)]
    [InlineData(Protocol.Records.CompressionType.Zstd, true)]
    public async Task ConfluentConsumerReadsWhatWeProduce(Protocol.Records.CompressionType compression, bool idempotent)
    {
        using var cluster = MockKafkaCluster.Start(3);
        var topic = "ours-" + compression.ToString().ToLowerInvariant();
        const int count = 60;
        var sent = new List<(string Key, string Value, DeliveryResult Result)>();
        await using (var producer = new KafkaProducer(new ProducerOptions
        {
            BootstrapServers = cluster.BootstrapServers,
            Compression = compression,
            EnableIdempotence = idempotent,
            Acks = idempotent ? Client.Producer.Acks.All : Client.Producer.Acks.Leader,
            Linger = TimeSpan.FromMilliseconds(20),
        }))
        {
            var tasks = new List<Task<DeliveryResult>>();
            for (var i = 0; i < count; i++)
            {
                tasks.Add(producer.ProduceAsync(new ProducerRecord(topic, Encoding.UTF8.GetBytes($"key-{i % 7}"), Encoding.UTF8.GetBytes($"value-{i}"))
                {
                    Headers = [new RecordHeaderData("h", Encoding.UTF8.GetBytes($"header-{i}")), new RecordHeaderData("empty", null)],
                }));
            }

            await producer.FlushAsync();
            var results = await Task.WhenAll(tasks);
            var partitions = producer.Cluster.Metadata.Topics[topic].Partitions.Count;
            for (var i = 0; i < count; i++)
            {
                Assert.Equal(Murmur2.Partition(Encoding.UTF8.GetBytes($"key-{i % 7}"), partitions), results[i].Partition.Partition);
                sent.Add(($"key-{i % 7}", $"value-{i}", results[i]));
            }
        }

        // Offsets within a partition are dense and in send order.
        foreach (var group in sent.GroupBy(s => s.Result.Partition.Partition))
        {
            Assert.Equal(Enumerable.Range(0, group.Count()).Select(i => (long)i), group.Select(s => s.Result.Offset));
        }

        using var consumer = new ConsumerBuilder<byte[], byte[]>(RealClients.ConsumerConfig(cluster.BootstrapServers, "check-" + topic)).Build();
        var partitionCount = sent.Max(s => s.Result.Partition.Partition) + 1;
        consumer.Assign(Enumerable.Range(0, partitionCount).Select(p => new Confluent.Kafka.TopicPartitionOffset(topic, p, Offset.Beginning)));
        var received = new List<ConsumeResult<byte[], byte[]>>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (received.Count < count && DateTime.UtcNow < deadline)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result is not null && !result.IsPartitionEOF)
            {
                received.Add(result);
            }
        }

        consumer.Close();
        Assert.Equal(count, received.Count);
        foreach (var result in received)
        {
            var match = sent.Single(s => s.Value == Encoding.UTF8.GetString(result.Message.Value));
            Assert.Equal(match.Key, Encoding.UTF8.GetString(result.Message.Key));
            Assert.Equal(match.Result.Partition.Partition, result.Partition.Value);
            Assert.Equal(match.Result.Offset, result.Offset.Value);
            var index = match.Value["value-".Length..];
            Assert.Equal($"header-{index}", Encoding.UTF8.GetString(result.Message.Headers.GetLastBytes("h")));
            Assert.Null(result.Message.Headers.GetLastBytes("empty"));
        }
    }
}
