using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tributary.FakeKube;
using Tributary.Kube;
using Tributary.Operator.Controllers;
using Tributary.Operator.Hosting;
using Tributary.Operator.Tests.Controllers;
using Xunit;

namespace Tributary.Operator.Tests.Hosting;

public sealed class OperatorHostTests
{
    private static OperatorOptions Options(string identity) => new()
    {
        Identity = identity,
        Namespace = "default",
        LeaseName = "tributary-operator",
        LeaseDuration = TimeSpan.FromSeconds(3),
        RenewDeadline = TimeSpan.FromSeconds(2),
        RetryPeriod = TimeSpan.FromMilliseconds(100),
        MetricsPort = 0,
        HealthPort = 0,
        LoopbackOnly = true,
        LogLevel = LogLevel.Warning,
    };

    private static async Task<WebApplication> StartAsync(FakeApiServer server, string identity)
    {
        var app = OperatorHost.Build(Options(identity), server.CreateClient(), configureLogging: l => l.ClearProviders());
        await app.StartAsync();
        return app;
    }

    private static OperatorState State(WebApplication app) => app.Services.GetRequiredService<OperatorState>();

    private static long Reconciles(WebApplication app) =>
        ((OperatorMetrics)app.Services.GetRequiredService<IOperatorMetrics>()).ReconcileCount(KafkaClusterController.ControllerName);

    [Fact]
    public async Task TwoInstances_OnlyTheLeaderReconciles_StandbyTakesOverWhenItStops()
    {
        await using var server = await KafkaClusterHarness.StartServerAsync();
        using var client = server.CreateClient();
        await KafkaClusterHarness.SeedAsync(client, DateTimeOffset.UtcNow);
        var a = await StartAsync(server, "operator-a");
        var b = await StartAsync(server, "operator-b");
        try
        {
            await KafkaClusterHarness.WaitUntilAsync(() => Task.FromResult(State(a).ElectionStarted && State(b).ElectionStarted && (State(a).Leading ^ State(b).Leading)), () => "one leader");
            var (leader, standby) = State(a).Leading ? (a, b) : (b, a);

            await client.CreateAsync(KafkaResources.KafkaClusters, KafkaClusterHarness.Example());
            await KafkaClusterHarness.WaitUntilAsync(async () => KafkaClusterHarness.IsReadyAtCurrentGeneration(
                await client.GetAsync(KafkaResources.KafkaClusters, KafkaClusterHarness.Namespace, KafkaClusterHarness.ClusterName)), () => "Ready");
            Assert.True(Reconciles(leader) > 0);
            Assert.Equal(0, Reconciles(standby));
            Assert.False(State(standby).Leading);

            // Both serve probes; each reports its role.
            using var http = new HttpClient();
            foreach (var (app, role) in new[] { (leader, "leader"), (standby, "standby") })
            {
                var baseUri = OperatorHost.Addresses(app)[0];
                Assert.Equal("ok\n", await http.GetStringAsync(new Uri(baseUri, "healthz")));
                Assert.Equal($"ok ({role})\n", await http.GetStringAsync(new Uri(baseUri, "readyz")));
                Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri(baseUri, "nope"))).StatusCode);
            }

            var metrics = await http.GetAsync(new Uri(OperatorHost.Addresses(leader)[0], "metrics"));
            Assert.Equal("text/plain; version=0.0.4; charset=utf-8", metrics.Content.Headers.ContentType!.ToString());
            var text = await metrics.Content.ReadAsStringAsync();
            Assert.Matches(@"tributary_operator_reconcile_total\{controller=""kafkacluster"",result=""success""\} [1-9]", text);
            Assert.Contains("# TYPE tributary_operator_reconcile_duration_seconds histogram", text, StringComparison.Ordinal);
            Assert.Contains("tributary_operator_workqueue_depth{controller=\"kafkacluster\"}", text, StringComparison.Ordinal);
            Assert.Contains("tributary_operator_leader 1\n", text, StringComparison.Ordinal);
            Assert.Contains("tributary_operator_leader 0\n", await http.GetStringAsync(new Uri(OperatorHost.Addresses(standby)[0], "metrics")), StringComparison.Ordinal);

            // The leader stops (releasing the lease); the standby takes over and reconciles.
            await leader.StopAsync();
            await KafkaClusterHarness.WaitUntilAsync(() => Task.FromResult(State(standby).Leading), () => "standby leads");
            await client.PatchAsync(KafkaResources.KafkaClusters, KafkaClusterHarness.Namespace, KafkaClusterHarness.ClusterName,
                new System.Text.Json.Nodes.JsonObject { ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["labels"] = new System.Text.Json.Nodes.JsonObject { ["touched"] = "yes" } } });
            await KafkaClusterHarness.WaitUntilAsync(() => Task.FromResult(Reconciles(standby) > 0), () => "new leader reconciles");
        }
        finally
        {
            await a.StopAsync();
            await b.StopAsync();
            await a.DisposeAsync();
            await b.DisposeAsync();
        }
    }

    [Fact]
    public void Options_ReadTheChartsEnvironmentVariables()
    {
        var options = OperatorOptions.FromVariables(new Dictionary<string, string>
        {
            ["POD_NAME"] = "tributary-operator-7d9-abc",
            ["POD_NAMESPACE"] = "tributary-system",
            ["TRIBUTARY_LEADER_ELECTION"] = "false",
            ["TRIBUTARY_LEASE_NAME"] = "lease",
            ["TRIBUTARY_LEASE_DURATION"] = "20s",
            ["TRIBUTARY_LEASE_RENEW_DEADLINE"] = "12s",
            ["TRIBUTARY_LEASE_RETRY_PERIOD"] = "3s",
            ["TRIBUTARY_WATCH_NAMESPACES"] = "kafka, team-a,,kafka",
            ["TRIBUTARY_BROKER_IMAGE_REPOSITORY"] = "registry.local/tributary",
            ["TRIBUTARY_BROKER_VERSION"] = "0.2.0",
            ["TRIBUTARY_LOG_LEVEL"] = "debug",
            ["TRIBUTARY_METRICS_PORT"] = "9090",
            ["TRIBUTARY_HEALTH_PORT"] = "9091",
        });
        Assert.Equal("tributary-operator-7d9-abc", options.Identity);
        Assert.Equal("tributary-system", options.Namespace);
        Assert.False(options.LeaderElection);
        Assert.Equal("lease", options.LeaseName);
        Assert.Equal((TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(12), TimeSpan.FromSeconds(3)), (options.LeaseDuration, options.RenewDeadline, options.RetryPeriod));
        Assert.Equal(["kafka", "team-a"], options.WatchNamespaces);
        Assert.Equal(("registry.local/tributary", "0.2.0"), (options.BrokerImageRepository, options.BrokerVersion));
        Assert.Equal(LogLevel.Debug, options.LogLevel);
        Assert.Equal((9090, 9091), (options.MetricsPort, options.HealthPort));

        var defaults = OperatorOptions.FromVariables(new Dictionary<string, string>());
        Assert.True(defaults.LeaderElection);
        Assert.Empty(defaults.WatchNamespaces);
        Assert.Equal((8080, 8081), (defaults.MetricsPort, defaults.HealthPort));

        Assert.Throws<FormatException>(() => OperatorOptions.FromVariables(new Dictionary<string, string> { ["TRIBUTARY_LEASE_DURATION"] = "soon" }));
        Assert.Throws<FormatException>(() => OperatorOptions.FromVariables(new Dictionary<string, string> { ["TRIBUTARY_METRICS_PORT"] = "70000" }));
        Assert.Throws<FormatException>(() => OperatorOptions.FromVariables(new Dictionary<string, string> { ["TRIBUTARY_LOG_LEVEL"] = "loud" }));
    }

    [Fact]
    public void Metrics_WriteCumulativeHistogramBucketsAndEscapedLabels()
    {
        var metrics = new OperatorMetrics();
        metrics.ObserveReconcile("kafkacluster", TimeSpan.FromMilliseconds(3), succeeded: true);
        metrics.ObserveReconcile("kafkacluster", TimeSpan.FromMilliseconds(200), succeeded: false);
        metrics.ObserveReconcile("kafkacluster", TimeSpan.FromSeconds(100), succeeded: true);
        metrics.RegisterQueue("to\"pic", () => 4);
        using var writer = new StringWriter();
        metrics.WriteTo(writer);
        var text = writer.ToString();

        Assert.Contains("tributary_operator_reconcile_total{controller=\"kafkacluster\",result=\"success\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("tributary_operator_reconcile_total{controller=\"kafkacluster\",result=\"error\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("tributary_operator_reconcile_errors_total{controller=\"kafkacluster\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("tributary_operator_reconcile_duration_seconds_bucket{controller=\"kafkacluster\",le=\"0.005\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("tributary_operator_reconcile_duration_seconds_bucket{controller=\"kafkacluster\",le=\"0.25\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("tributary_operator_reconcile_duration_seconds_bucket{controller=\"kafkacluster\",le=\"60\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("tributary_operator_reconcile_duration_seconds_bucket{controller=\"kafkacluster\",le=\"+Inf\"} 3\n", text, StringComparison.Ordinal);
        Assert.Contains("tributary_operator_reconcile_duration_seconds_count{controller=\"kafkacluster\"} 3\n", text, StringComparison.Ordinal);
        Assert.Contains("tributary_operator_workqueue_depth{controller=\"to\\\"pic\"} 4\n", text, StringComparison.Ordinal);
        Assert.Contains("tributary_operator_leader 0\n", text, StringComparison.Ordinal);
    }
}
