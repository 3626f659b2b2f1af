using System.Text;
using Confluent.Kafka;
using Tributary.Protocol.Records;
using Tributary.TestSupport;
using Xunit;
using CompressionType = Tributary.Protocol.Records.CompressionType;

namespace Tributary.Protocol.Tests.Records;

/// <summary>
/// Live checks against librdkafka's mock cluster: kcat's batches decode with our code, and
/// batches we build (every codec) are accepted and decoded by librdkafka with CRC checks on.
/// Needs kcat and librdkafka1 (tools/deps.sh).
/// </summary>
public sealed class RealClientInteropTests : IClassFixture<RealClientInteropTests.Cluster>
{
    private readonly Cluster _cluster;

    public RealClientInteropTests(Cluster cluster) => _cluster = cluster;

    public static TheoryData<string> Codecs => new(KcatCapture.Codecs);

    [Theory]
    [MemberData(nameof(Codecs))]
    public async Task LiveKcatBatchDecodes(string codec)
    {
        var records = await KcatCapture.CaptureAsync(_cluster.Mock, codec);
        CapturedBatchAssertions.AssertHoldsSample(records, codec);
    }

    [Theory]
    [InlineData(CompressionType.None)]
    [InlineData(CompressionType.Gzip)]
    [InlineData(CompressionType.Snappy)]
    [InlineData(CompressionType.Lz4)]
    [InlineData(CompressionType.Zstd)]
    public async Task LibrdkafkaConsumesOurBatches(CompressionType compression)
    {
        var topic = $"ours-{compression.ToString().ToLowerInvariant()}";
        const int count = 20;
        byte[] batch;
        using (var builder = new RecordBatchBuilder { Compression = compression })
        {
            for (var i = 0; i < count; i++)
            {
                var key = i % 5 == 0 ? null : Encoding.UTF8.GetBytes($"key-{i}");
                builder.Append(1_700_000_000_000 + i, key, Encoding.UTF8.GetBytes($"value {i} {new string('x', i * 10)}"),
                    new RecordHeaderData("index", Encoding.UTF8.GetBytes(i.ToString(System.Globalization.CultureInfo.InvariantCulture))),
                    new RecordHeaderData("empty", null));
            }

            batch = builder.ToArray();
        }

        await _cluster.Mock.CreateTopicAsync(topic);
        var (error, baseOffset) = await RawKafkaClient.ProduceAsync(_cluster.Mock.FirstBroker, topic, 0, batch);
        Assert.Equal(0, error);
        Assert.Equal(0, baseOffset);

        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(RealClients.ConsumerConfig(_cluster.Mock.BootstrapServers, $"group-{topic}"))
            .SetLogHandler((_, _) => { })
            .Build();
        consumer.Assign(new TopicPartitionOffset(topic, 0, 0));
        var deadline = DateTime.UtcNow.AddSeconds(20);
        var seen = 0;
        while (seen < count && DateTime.UtcNow < deadline)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(500));
            if (result is null || result.IsPartitionEOF)
            {
                continue;
            }

            Assert.Equal(seen, result.Offset.Value);
            if (seen % 5 == 0)
            {
                Assert.Null(result.Message.Key);
            }
            else
            {
                Assert.Equal($"key-{seen}", Encoding.UTF8.GetString(result.Message.Key!));
            }

            Assert.StartsWith($"value {seen} ", Encoding.UTF8.GetString(result.Message.Value!), StringComparison.Ordinal);
            Assert.Equal(1_700_000_000_000 + seen, result.Message.Timestamp.UnixTimestampMs);
            Assert.Equal(2, result.Message.Headers.Count);
            Assert.Equal(seen.ToString(System.Globalization.CultureInfo.InvariantCulture), Encoding.UTF8.GetString(result.Message.Headers[0].GetValueBytes()));
            Assert.Equal("empty", result.Message.Headers[1].Key);
            Assert.Null(result.Message.Headers[1].GetValueBytes());
            seen++;
        }

        Assert.Equal(count, seen);
    }

    /// <summary>One mock cluster for the class; stopped when the tests finish.</summary>
    public sealed class Cluster : IDisposable
    {
        public MockKafkaCluster Mock { get; } = MockKafkaCluster.Start();

        public void Dispose() => Mock.Dispose();
    }
}
