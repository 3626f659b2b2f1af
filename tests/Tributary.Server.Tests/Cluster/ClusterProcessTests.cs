using System.Diagnostics;
using Tributary.TestSupport;

namespace Tributary.Server.Tests.Cluster;

/// <summary>The multi-process harness itself: layout from `tributary dev --config-only`, and per-node kill, stop and restart.</summary>
public sealed class ClusterProcessTests
{
    [Fact]
    public async Task StartsEveryNodeAndKillsStopsAndRestartsThemOneByOne()
    {
        await using var cluster = await ClusterProcess.StartAsync(3, "a,b,c");

        Assert.Equal(string.Join(',', cluster.Nodes.Select(n => n.BootstrapAddress)), cluster.BootstrapServers);
        Assert.Equal(["a", "b", "c"], cluster.Nodes.Select(n => n.Rack));
        Assert.All(cluster.Nodes, n => Assert.True(cluster.IsRunning(n.Id)));
        Assert.All(cluster.Nodes, n => Assert.True(File.Exists(n.ConfigPath)));

        var killed = cluster.Pid(2);
        await cluster.KillAsync(2);
        Assert.False(cluster.IsRunning(2));
        Assert.False(IsAlive(killed));

        await cluster.RestartAsync(2);
        Assert.True(cluster.IsRunning(2));
        Assert.NotEqual(killed, cluster.Pid(2));

        Assert.Equal(0, await cluster.StopAsync(3));
        Assert.False(cluster.IsRunning(3));
        Assert.Contains("Broker stopped", cluster.Output(3), StringComparison.Ordinal);

        Assert.Contains("kafka_server_replicamanager_partitioncount", await cluster.MetricsAsync(1), StringComparison.Ordinal);
        cluster.WipeData(3);
        Assert.False(Directory.Exists(cluster.Node(3).LogDir));
        await cluster.RestartAsync(3);
        Assert.True(cluster.IsRunning(3));
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
