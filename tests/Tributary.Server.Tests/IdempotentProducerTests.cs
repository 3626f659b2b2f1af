using System.Text;
using Confluent.Kafka;
using Tributary.Protocol.Messages;
using Tributary.Protocol.Records;
using Tributary.Server.Tests.Support;
using Tributary.TestSupport;

namespace Tributary.Server.Tests;

/// <summary>Idempotent producers: a retried batch is stored once and answered with its original offset.</summary>
public sealed class IdempotentProducerTests : IClassFixture<BrokerFixture>
{
    private readonly BrokerFixture _fixture;

    public IdempotentProducerTests(BrokerFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task RetriedBatchIsStoredOnceWithItsOriginalOffset()
    {
        var bootstrap = _fixture.Broker.BootstrapServers;
        var topic = Topics.UniqueName("idem");
        await Topics.CreateAsync(bootstrap, topic, 1);

        var init = MessageSerializer.Read<InitProducerIdResponse>(
            await RawKafkaClient.RoundTripAsync(bootstrap, (short)ApiKey.InitProducerId, 1,
                MessageSerializer.ToArray(new InitProducerIdRequest { TransactionalId = null, TransactionTimeoutMs = -1 }, 1)), 1);
        Assert.Equal(0, init.ErrorCode);
        Assert.True(init.ProducerId >= 0);

        var first = Batch(init.ProducerId, init.ProducerEpoch, baseSequence: 0, "a", "b", "c");
        var (error1, offset1) = await RawKafkaClient.ProduceAsync(bootstrap, topic, 0, first);
        // The same batch again, as a producer retries after losing the response.
        var (error2, offset2) = await RawKafkaClient.ProduceAsync(bootstrap, topic, 0, first);
        var next = Batch(init.ProducerId, init.ProducerEpoch, baseSequence: 3, "d");
        var (error3, offset3) = await RawKafkaClient.ProduceAsync(bootstrap, topic, 0, next);
        // A gap in the sequence is refused.
        var gap = Batch(init.ProducerId, init.ProducerEpoch, baseSequence: 10, "x");
        var (error4, _) = await RawKafkaClient.ProduceAsync(bootstrap, topic, 0, gap);

        Assert.Equal(0, error1);
        Assert.Equal(0, error2);
        Assert.Equal(offset1, offset2);
        Assert.Equal(0, error3);
        Assert.Equal(offset1 + 3, offset3);
        Assert.Equal((short)Tributary.Protocol.ErrorCode.OutOfOrderSequenceNumber, error4);

        Assert.Equal(["a", "b", "c", "d"], ConsumeAll(bootstrap, topic, 4));
    }

    [Fact]
    public async Task ConfluentIdempotentProducerDeliversEveryRecordOnce()
    {
        var bootstrap = _fixture.Broker.BootstrapServers;
        var topic = Topics.UniqueName("idem-confluent");
        await Topics.CreateAsync(bootstrap, topic, 1);
        var config = RealClients.ProducerConfig(bootstrap);
        config.EnableIdempotence = true;
        config.Acks = Acks.All;
        using (var producer = new ProducerBuilder<Null, string>(config).Build())
        {
            var deliveries = Enumerable.Range(0, 1000).Select(i => producer.ProduceAsync(topic, new Message<Null, string> { Value = "m" + i })).ToList();
            await Task.WhenAll(deliveries);
        }

        Assert.Equal(Enumerable.Range(0, 1000).Select(i => "m" + i), ConsumeAll(bootstrap, topic, 1000));
    }

    private static byte[] Batch(long producerId, short epoch, int baseSequence, params string[] values)
    {
        using var builder = new RecordBatchBuilder { ProducerId = producerId, ProducerEpoch = epoch, BaseSequence = baseSequence };
        foreach (var value in values)
        {
            builder.Append(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), null, Encoding.UTF8.GetBytes(value));
        }

        return builder.ToArray();
    }

    private static List<string> ConsumeAll(string bootstrap, string topic, int expected)
    {
        var config = RealClients.ConsumerConfig(bootstrap, "idem-" + Guid.NewGuid().ToString("N"));
        config.EnablePartitionEof = true;
        using var consumer = new ConsumerBuilder<Ignore, string>(config).Build();
        consumer.Assign(new TopicPartitionOffset(topic, 0, Offset.Beginning));
        var values = new List<string>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(500));
            if (result is null)
            {
                continue;
            }

            if (result.IsPartitionEOF)
            {
                if (values.Count >= expected)
                {
                    break;
                }

                continue;
            }

            values.Add(result.Message.Value);
        }

        return values;
    }
}
