using System.Globalization;
using Confluent.Kafka;
using Tributary.Server.Tests.Support;
using Tributary.TestSupport;

namespace Tributary.Server.Tests;

/// <summary>/metrics reports what real clients did: bytes and messages in/out, per-API requests and latency, connections, partitions, log size.</summary>
public sealed class MetricsEndpointTests : IClassFixture<BrokerFixture>
{
    private readonly BrokerFixture _fixture;

    public MetricsEndpointTests(BrokerFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task MetricsReflectProduceAndFetchTraffic()
    {
        var broker = _fixture.Broker;
        var topic = Topics.UniqueName("metrics");
        await Topics.CreateAsync(broker.BootstrapServers, topic, 2);
        using (var producer = new ProducerBuilder<Null, string>(RealClients.ProducerConfig(broker.BootstrapServers)).Build())
        {
            for (var i = 0; i < 100; i++)
            {
                await producer.ProduceAsync(topic, new Message<Null, string> { Value = new string('m', 100) });
            }
        }

        var config = RealClients.ConsumerConfig(broker.BootstrapServers, "metrics-" + Guid.NewGuid().ToString("N"));
        using (var consumer = new ConsumerBuilder<Ignore, string>(config).Build())
        {
            consumer.Assign([new TopicPartitionOffset(topic, 0, Offset.Beginning), new TopicPartitionOffset(topic, 1, Offset.Beginning)]);
            var read = 0;
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (read < 100 && DateTime.UtcNow < deadline)
            {
                if (consumer.Consume(TimeSpan.FromMilliseconds(200))?.Message is not null)
                {
                    read++;
                }
            }

            Assert.Equal(100, read);
        }

        using var http = new HttpClient();
        var deadlineScrape = DateTime.UtcNow.AddSeconds(20);
        string text;
        do
        {
            // Log sizes are sampled every few seconds; poll until the topic's series appears.
            text = await http.GetStringAsync(new Uri($"http://127.0.0.1:{broker.MetricsPort}/metrics"));
            if (text.Contains($"kafka_log_log_size{{topic=\"{topic}\"", StringComparison.Ordinal))
            {
                break;
            }

            await Task.Delay(500);
        }
        while (DateTime.UtcNow < deadlineScrape);

        Assert.True(Sample(text, "kafka_server_brokertopicmetrics_bytesin_total") > 10_000, text);
        Assert.True(Sample(text, "kafka_server_brokertopicmetrics_messagesin_total") >= 100);
        Assert.True(Sample(text, "kafka_server_brokertopicmetrics_bytesout_total") > 10_000);
        Assert.True(Sample(text, "kafka_network_requestmetrics_requests_total{request=\"Produce\"}") >= 1);
        Assert.True(Sample(text, "kafka_network_requestmetrics_request_duration_seconds_count{request=\"Fetch\"}") >= 1);
        Assert.True(Sample(text, "kafka_server_socketservermetrics_connection_creation_total") >= 2);
        Assert.True(Sample(text, "kafka_server_replicamanager_partitioncount") >= 2);
        Assert.True(Sample(text, "kafka_server_replicamanager_leadercount") >= 2);
        Assert.Equal(0, Sample(text, "kafka_server_replicamanager_underreplicatedpartitions"));
        Assert.Equal(1, Sample(text, "kafka_controller_kafkacontroller_activecontrollercount"));
        Assert.True(Sample(text, $"kafka_log_log_size{{topic=\"{topic}\",partition=\"0\"}}") > 0, text);
    }

    /// <summary>The value of the first sample whose name (and labels, if given) start the line; sums label sets otherwise.</summary>
    private static double Sample(string text, string series)
    {
        var total = 0.0;
        var found = false;
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith('#') || !line.StartsWith(series, StringComparison.Ordinal))
            {
                continue;
            }

            var rest = line[series.Length..];
            if (rest.Length == 0 || !(rest[0] == ' ' || (rest[0] == '{' && !series.Contains('{', StringComparison.Ordinal))))
            {
                continue;
            }

            total += double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
            found = true;
        }

        Assert.True(found, $"no sample {series}");
        return total;
    }
}
