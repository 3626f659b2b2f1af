using System.Text;
using Confluent.Kafka;
using Tributary.Server.Tests.Support;
using Tributary.TestSupport;

namespace Tributary.Server.Tests;

/// <summary>Confluent.Kafka (librdkafka) produces keyed records with headers and reads them back exactly.</summary>
public sealed class ConfluentRoundTripTests : IClassFixture<BrokerFixture>
{
    private const int RecordCount = 10_000;
    private readonly BrokerFixture _fixture;

    public ConfluentRoundTripTests(BrokerFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task TenThousandKeyedRecordsWithHeadersRoundTripInPartitionOrder()
    {
        var bootstrap = _fixture.Broker.BootstrapServers;
        var topic = Topics.UniqueName("confluent");
        await Topics.CreateAsync(bootstrap, topic, 3);

        var sent = await ProduceAsync(bootstrap, topic, CompressionType.None);
        var received = Consume(bootstrap, topic, RecordCount);
        Expect.SamePerPartition(sent, received);
    }

    [Theory]
    [InlineData(CompressionType.Gzip)]
    [InlineData(CompressionType.Snappy)]
    [InlineData(CompressionType.Lz4)]
    [InlineData(CompressionType.Zstd)]
    public async Task CompressedBatchesAreStoredAndFetchedIntact(CompressionType codec)
    {
        var bootstrap = _fixture.Broker.BootstrapServers;
        var topic = Topics.UniqueName("codec-" + codec.ToString().ToLowerInvariant());
        await Topics.CreateAsync(bootstrap, topic, 3);

        var sent = await ProduceAsync(bootstrap, topic, codec, count: 2_000);
        var received = Consume(bootstrap, topic, 2_000);
        Expect.SamePerPartition(sent, received);
    }

    private static async Task<List<SentRecord>> ProduceAsync(string bootstrap, string topic, CompressionType codec, int count = RecordCount)
    {
        var config = RealClients.ProducerConfig(bootstrap);
        config.CompressionType = codec;
        config.LingerMs = 5;
        config.Acks = Acks.All;
        using var producer = new ProducerBuilder<string, string>(config).Build();
        var sent = new List<SentRecord>(count);
        var deliveries = new List<Task<DeliveryResult<string, string>>>(count);
        for (var i = 0; i < count; i++)
        {
            var message = new Message<string, string>
            {
                Key = $"key-{i % 97}",
                Value = $"value-{i}-" + new string('x', i % 50),
                Headers = [new Header("seq", Encoding.UTF8.GetBytes(i.ToString(System.Globalization.CultureInfo.InvariantCulture))), new Header("src", "confluent"u8.ToArray())],
            };
            deliveries.Add(producer.ProduceAsync(topic, message));
        }

        foreach (var delivery in deliveries)
        {
            var result = await delivery;
            sent.Add(new SentRecord(result.Partition.Value, result.Offset.Value, result.Message.Key, result.Message.Value,
                Encoding.UTF8.GetString(result.Message.Headers.GetLastBytes("seq"))));
        }

        return sent;
    }

    private static List<SentRecord> Consume(string bootstrap, string topic, int count)
    {
        var config = RealClients.ConsumerConfig(bootstrap, "reader-" + Guid.NewGuid().ToString("N"));
        using var consumer = new ConsumerBuilder<string, string>(config).Build();
        consumer.Subscribe(topic);
        var received = new List<SentRecord>(count);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (received.Count < count && DateTime.UtcNow < deadline)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(500));
            if (result is null || result.IsPartitionEOF)
            {
                continue;
            }

            Assert.Equal("confluent", Encoding.UTF8.GetString(result.Message.Headers.GetLastBytes("src")));
            received.Add(new SentRecord(result.Partition.Value, result.Offset.Value, result.Message.Key, result.Message.Value,
                Encoding.UTF8.GetString(result.Message.Headers.GetLastBytes("seq"))));
        }

        consumer.Close();
        return received;
    }
}
