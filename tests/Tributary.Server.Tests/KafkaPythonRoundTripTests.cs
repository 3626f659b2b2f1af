using System.Globalization;
using Tributary.Server.Tests.Support;
using Tributary.TestSupport;

namespace Tributary.Server.Tests;

/// <summary>Debian's python3-kafka (kafka-python) produces 10,000 keyed records with headers and reads them back.</summary>
public sealed class KafkaPythonRoundTripTests : IClassFixture<BrokerFixture>
{
    private const int RecordCount = 10_000;
    private readonly BrokerFixture _fixture;

    public KafkaPythonRoundTripTests(BrokerFixture fixture) => _fixture = fixture;

    private const string Script = """
import sys
from kafka import KafkaProducer, KafkaConsumer, TopicPartition
bootstrap, topic, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
producer = KafkaProducer(bootstrap_servers=bootstrap, acks='all', linger_ms=5)
for i in range(count):
    producer.send(topic, key=('k%d' % (i % 101)).encode(), value=('v-%d' % i).encode(), headers=[('origin', b'python')])
producer.flush()
producer.close()
consumer = KafkaConsumer(bootstrap_servers=bootstrap, auto_offset_reset='earliest', enable_auto_commit=False, consumer_timeout_ms=10000)
parts = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic))]
consumer.assign(parts)
consumer.seek_to_beginning()
seen = 0
for m in consumer:
    h = ','.join('%s=%s' % (k, v.decode()) for k, v in m.headers)
    print('%d\t%s\t%s\t%s' % (m.partition, m.key.decode(), m.value.decode(), h))
    seen += 1
    if seen >= count:
        break
consumer.close()
""";

    [Fact]
    public async Task TenThousandKeyedRecordsWithHeadersRoundTrip()
    {
        var bootstrap = _fixture.Broker.BootstrapServers;
        var topic = Topics.UniqueName("python");
        await Topics.CreateAsync(bootstrap, topic, 3);

        var run = await RealClients.RunPython3Async(Script, [bootstrap, topic, RecordCount.ToString(CultureInfo.InvariantCulture)], timeout: TimeSpan.FromSeconds(120));
        Assert.True(run.Succeeded, run.ToString());
        var consumed = run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('\t'))
            .Select(f => (int.Parse(f[0], CultureInfo.InvariantCulture), f[1], SequenceCheck.ParseSeq(f[2]), f[3]))
            .ToList();
        SequenceCheck.AssertExactlyOnceInPartitionOrder(RecordCount, consumed, i => "k" + (i % 101).ToString(CultureInfo.InvariantCulture), "origin=python");
    }
}
