using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tributary.Client.Admin;
using Tributary.FakeKube;
using Tributary.Operator.Api;
using Tributary.Operator.Hosting;
using Tributary.Operator.Rolling;
using Tributary.Operator.Tests.Topics;
using Tributary.TestSupport;
using Xunit;

namespace Tributary.Operator.Tests.Rolling;

/// <summary><see cref="KafkaSafetyProbe"/> against real single-node `tributary broker` processes.</summary>
public class KafkaSafetyProbeTests(BrokerFixture fixture) : IClassFixture<BrokerFixture>
{
    private static KafkaCluster ClusterAt(string? bootstrap)
    {
        var cluster = Samples.Cluster();
        cluster.Status = new KafkaClusterStatus { BootstrapServers = bootstrap };
        return cluster;
    }

    private static KafkaSafetyProbe Probe(StubSafetyProbe? pods = null) =>
        new(pods ?? new StubSafetyProbe(RollDecision.Allow("every pod is Ready")));

    [Fact]
    public async Task TheActiveControllerIsTheQuorumLeader()
    {
        var active = await Probe().GetActiveControllerAsync(ClusterAt(fixture.Broker.BootstrapServers), CancellationToken.None);

        Assert.Equal(1, active);
    }

    [Fact]
    public async Task ASingleBrokerMayRestartAndItsSingleReplicaTopicsAreNamedAsUnavoidable()
    {
        var cluster = ClusterAt(fixture.Broker.BootstrapServers);
        var probe = Probe();

        var empty = await probe.CanRestartAsync(cluster, 1, CancellationToken.None);
        Assert.True(empty.Allowed, empty.Reason);
        Assert.Contains("only metadata quorum voter", empty.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("single-replica-0", empty.Reason, StringComparison.Ordinal);

        await using (var admin = KafkaSafetyProbe.CreateAdmin(fixture.Broker.BootstrapServers))
        {
            var created = await admin.CreateTopicsAsync([new NewTopic("single-replica", 1, 1) { Configs = new Dictionary<string, string?> { ["min.insync.replicas"] = "1" } }]);
            Assert.True(created["single-replica"].IsSuccess, created["single-replica"].ErrorMessage);
        }

        var withTopic = await probe.CanRestartAsync(cluster, 1, CancellationToken.None);
        Assert.True(withTopic.Allowed, withTopic.Reason);
        Assert.Contains("unavoidable", withTopic.Reason, StringComparison.Ordinal);
        Assert.True(withTopic.Reason.Contains("single-replica-0 (replicas [1], ISR [1], min.insync.replicas 1)", StringComparison.Ordinal), withTopic.Reason);
    }

    [Fact]
    public async Task AQuorumWithAVoterDownRefusesRestartingAnotherVoter()
    {
        // A real three-voter cluster: with one voter killed, restarting either of the two left
        // would cost the quorum its majority; restarting the dead one costs nothing.
        await using var cluster = await ClusterProcess.StartAsync(3, "a,b,c");
        var target = ClusterAt(cluster.BootstrapServers);
        var probe = Probe();
        var active = await probe.GetActiveControllerAsync(target, CancellationToken.None) ?? -1;
        var ids = cluster.Nodes.Select(n => n.Id).ToList();
        Assert.Contains(active, ids);
        var down = ids.First(id => id != active);
        var other = ids.First(id => id != active && id != down);
        await cluster.KillAsync(down);

        // The leader notices once the dead voter's last fetch is older than MaxCaughtUpAge.
        RollDecision decision = RollDecision.Allow();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            decision = await probe.CanRestartAsync(target, other, CancellationToken.None);
            if (!decision.Allowed)
            {
                break;
            }

            await Task.Delay(250);
        }

        Assert.False(decision.Allowed, decision.Reason);
        Assert.Contains($"only 1 of 3 voters are caught up, 2 needed (not caught up: {down})", decision.Reason, StringComparison.Ordinal);
        Assert.False((await probe.CanRestartAsync(target, active, CancellationToken.None)).Allowed);
        var restartDead = await probe.CanRestartAsync(target, down, CancellationToken.None);
        Assert.True(restartDead.Allowed, restartDead.Reason);
        Assert.Equal(active, await probe.GetActiveControllerAsync(target, CancellationToken.None));
    }

    [Fact]
    public async Task AnUnreachableClusterIsRefusedWithTheReason()
    {
        var unreachable = $"127.0.0.1:{ClosedPort()}";
        var probe = new KafkaSafetyProbe(new StubSafetyProbe(RollDecision.Allow()), b => KafkaSafetyProbe.CreateAdmin(b, o =>
        {
            o.ConnectTimeout = TimeSpan.FromSeconds(1);
            o.RequestTimeout = TimeSpan.FromSeconds(3);
            o.Retries = 0;
        }));

        var decision = await probe.CanRestartAsync(ClusterAt(unreachable), 1, CancellationToken.None);

        Assert.False(decision.Allowed);
        Assert.Contains($"cannot verify with Kafka at {unreachable}", decision.Reason, StringComparison.Ordinal);
        Assert.Null(await probe.GetActiveControllerAsync(ClusterAt(unreachable), CancellationToken.None));
    }

    [Fact]
    public async Task PodsThatAreNotReadyRefuseBeforeKafkaIsAsked()
    {
        var opened = 0;
        var pods = new StubSafetyProbe(RollDecision.Refuse("pods not Ready: orders-broker-1"));
        var probe = new KafkaSafetyProbe(pods, b =>
        {
            Interlocked.Increment(ref opened);
            return KafkaSafetyProbe.CreateAdmin(b);
        });

        var decision = await probe.CanRestartAsync(ClusterAt(fixture.Broker.BootstrapServers), 1, CancellationToken.None);

        Assert.Equal(RollDecision.Refuse("pods not Ready: orders-broker-1"), decision);
        Assert.Equal((1, 0), (pods.Asked, opened));
    }

    [Fact]
    public async Task WithoutBootstrapServersInStatusTheRestartWaits()
    {
        var decision = await Probe().CanRestartAsync(ClusterAt(null), 1, CancellationToken.None);

        Assert.False(decision.Allowed);
        Assert.Contains("no bootstrap servers", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheOperatorHostUsesTheKafkaProbe()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        await using var app = OperatorHost.Build(new OperatorOptions { MetricsPort = 0, HealthPort = 0, LoopbackOnly = true }, client,
            configureLogging: l => l.ClearProviders());

        Assert.IsType<KafkaSafetyProbe>(app.Services.GetRequiredService<IClusterSafetyProbe>());
    }

    /// <summary>A loopback port nothing listens on (bound, then released).</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
