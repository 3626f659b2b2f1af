using Tributary.Broker.Metrics;
using Tributary.Broker.Tests.Network;
using Xunit;

namespace Tributary.Broker.Tests.Metrics;

public sealed class BrokerMetricsTests
{
    [Fact]
    public async Task NetworkServerFeedsConnectionRequestAndLatencyMetrics()
    {
        var registry = new MetricsRegistry();
        var metrics = new BrokerMetrics(registry, key => key == 3 ? "Metadata" : "Other");
        await using (var server = TestServer.Start(new FakeDispatcher(), observer: metrics))
        {
            await using var client = await TestClient.ConnectAsync(server.Port);
            await client.SendRequestAsync(1, apiKey: 3, body: [1, 2]);
            await client.ReceiveAsync();
            await client.SendRequestAsync(2, apiKey: 3);
            await client.ReceiveAsync();
            await SocketServerTests.WaitUntil(() => metrics.Connections.WithLabels("PLAINTEXT").Value == 1);
        }

        string text = registry.Render();
        Assert.Contains("kafka_network_requestmetrics_requests_total{request=\"Metadata\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("kafka_network_requestmetrics_request_duration_seconds_count{request=\"Metadata\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("kafka_server_socketservermetrics_connection_count{listener=\"PLAINTEXT\"} 0\n", text, StringComparison.Ordinal);
        Assert.Contains("kafka_server_socketservermetrics_connection_creation_total{listener=\"PLAINTEXT\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("kafka_server_socketservermetrics_connection_close_total{listener=\"PLAINTEXT\",reason=\"", text, StringComparison.Ordinal);

        // Two requests of 4 + 8 (+2) bytes in; two responses of 4 + 4 (+2) bytes out.
        Assert.Contains("kafka_server_socketservermetrics_incoming_byte_total{listener=\"PLAINTEXT\"} 26\n", text, StringComparison.Ordinal);
        Assert.Contains("kafka_server_socketservermetrics_outgoing_byte_total{listener=\"PLAINTEXT\"} 18\n", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, "Produce")]
    [InlineData(18, "ApiVersions")]
    [InlineData(9999, "9999")]
    public void RequestLabelsUseKafkaApiNames(short key, string expected) =>
        Assert.Equal(expected, BrokerMetrics.DefaultApiName(key));

    [Fact]
    public void PredefinesTheMetricsKafkaUsersExpect()
    {
        var registry = new MetricsRegistry();
        var metrics = new BrokerMetrics(registry);
        metrics.BytesIn.WithLabels().Inc(100);
        metrics.LogSize.WithLabels("orders", "0").Set(4096);
        metrics.UnderReplicatedPartitions.Set(2);
        string text = registry.Render();
        foreach (string name in new[]
        {
            "kafka_server_brokertopicmetrics_bytesin_total 100", "kafka_server_brokertopicmetrics_bytesout_total 0",
            "kafka_server_brokertopicmetrics_messagesin_total 0", "kafka_server_replicamanager_partitioncount 0",
            "kafka_server_replicamanager_underreplicatedpartitions 2", "kafka_log_log_size{topic=\"orders\",partition=\"0\"} 4096",
            "# TYPE kafka_network_requestmetrics_request_duration_seconds histogram", "# TYPE process_cpu_seconds_total counter",
        })
        {
            Assert.Contains(name, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void RuntimeGcFiguresUsePrometheusNetNamesAndCount()
    {
        var registry = new MetricsRegistry();
        _ = new BrokerMetrics(registry);
        double Gen2(string text) => double.Parse(text.Split('\n').Single(l => l.StartsWith("dotnet_collection_count_total{generation=\"2\"}", StringComparison.Ordinal)).Split(' ')[1],
            System.Globalization.CultureInfo.InvariantCulture);

        var before = Gen2(registry.Render());
        GC.Collect(2, GCCollectionMode.Forced, blocking: true);
        var text = registry.Render();

        Assert.True(Gen2(text) > before);
        Assert.Contains("# TYPE dotnet_collection_count_total counter", text, StringComparison.Ordinal);
        Assert.Contains("dotnet_collection_count_total{generation=\"0\"}", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE dotnet_gc_allocated_bytes_total counter", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE dotnet_gc_pause_seconds_total counter", text, StringComparison.Ordinal);
    }
}
