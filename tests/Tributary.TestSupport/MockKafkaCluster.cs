using Confluent.Kafka;

namespace Tributary.TestSupport;

/// <summary>
/// librdkafka's in-process mock cluster (<c>test.mock.num.brokers</c>), listening on loopback:
/// a reference Kafka peer for tests. It lives as long as the producer handle that created it.
/// </summary>
public sealed class MockKafkaCluster : IDisposable
{
    private readonly IProducer<byte[], byte[]> _owner;

    private MockKafkaCluster(IProducer<byte[], byte[]> owner, string bootstrapServers)
    {
        _owner = owner;
        BootstrapServers = bootstrapServers;
    }

    /// <summary>host:port of every mock broker, comma separated.</summary>
    public string BootstrapServers { get; }

    /// <summary>host:port of the first mock broker.</summary>
    public string FirstBroker => BootstrapServers.Split(',')[0];

    /// <summary>A producer bound to the mock cluster (the one that owns it).</summary>
    public IProducer<byte[], byte[]> Producer => _owner;

    public static MockKafkaCluster Start(int brokers = 1)
    {
        var config = RealClients.ProducerConfig("127.0.0.1:1");
        config.Set("test.mock.num.brokers", brokers.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var producer = new ProducerBuilder<byte[], byte[]>(config).SetLogHandler((_, _) => { }).Build();
        try
        {
            using var admin = new DependentAdminClientBuilder(producer.Handle).Build();
            var metadata = admin.GetMetadata(TimeSpan.FromSeconds(10));
            var servers = string.Join(',', metadata.Brokers.OrderBy(b => b.BrokerId).Select(b => $"{b.Host}:{b.Port}"));
            if (metadata.Brokers.Count != brokers)
            {
                throw new InvalidOperationException($"mock cluster reported {metadata.Brokers.Count} brokers, expected {brokers}");
            }

            return new MockKafkaCluster(producer, servers);
        }
        catch
        {
            producer.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Creates a topic with the mock's default partition count: the mock creates topics when a
    /// Metadata request allows auto-creation (its CreateTopics needs a controller it lacks), not
    /// on a raw Produce.
    /// </summary>
    public async Task CreateTopicAsync(string topic)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            if (await RawKafkaClient.MetadataAsync(FirstBroker, topic).ConfigureAwait(false) == 0)
            {
                return;
            }

            await Task.Delay(100).ConfigureAwait(false);
        }

        throw new InvalidOperationException($"the mock cluster did not create {topic}");
    }

    public void Dispose() => _owner.Dispose();
}
