using System.Diagnostics;
using Tributary.TestSupport;

namespace Tributary.Server.Tests;

/// <summary>
/// The broker as the operator runs it in a pod: config found from the pod environment, and
/// `tributary shutdown --wait` (the preStop hook) stopping it cleanly.
/// </summary>
public sealed class PodLifecycleTests
{
    [Fact]
    public async Task ShutdownCommandStopsTheBrokerCleanlyAndWaits()
    {
        await using var broker = await BrokerProcess.StartAsync();
        var result = await RealClients.RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "tributary.dll"), "shutdown", "--pid", broker.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture), "--wait"], null, TimeSpan.FromSeconds(60));
        Assert.True(result.Succeeded, result.ToString());
        Assert.Contains("stopped", result.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(0, await broker.StopAsync());
        Assert.Contains("Broker stopped", broker.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BrokerFindsItsConfigFromThePodEnvironment()
    {
        // Start once normally to render a config, then start again as a pod would: no --config.
        await using var broker = await BrokerProcess.StartAsync();
        await broker.StopAsync();
        var configDir = Directory.CreateTempSubdirectory("tributary-pod-").FullName;
        File.Copy(Path.Combine(broker.DataDir, "server.properties"), Path.Combine(configDir, "broker-1.properties"));
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "tributary.dll"));
        psi.ArgumentList.Add("broker");
        psi.Environment["TRIBUTARY_CONFIG_DIR"] = configDir;
        psi.Environment["TRIBUTARY_NODE_ROLE"] = "broker";
        psi.Environment["TRIBUTARY_NODE_ID_BASE"] = "1";
        psi.Environment["POD_NAME"] = "demo-zone-a-0";
        using var process = Process.Start(psi)!;
        try
        {
            var metadata = await RealClients.RunKcatAsync(["-b", broker.BootstrapServers, "-L", "-m", "10"], null, TimeSpan.FromSeconds(30));
            Assert.True(metadata.Succeeded, metadata.ToString());
            Assert.Contains("broker 1 at 127.0.0.1", metadata.StandardOutput, StringComparison.Ordinal);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Directory.Delete(configDir, recursive: true);
        }
    }
}
