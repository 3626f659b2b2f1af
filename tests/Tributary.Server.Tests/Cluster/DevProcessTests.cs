using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Tributary.Server.Tests.Cluster;

/// <summary>The real `tributary dev --brokers 3` process: bootstrap line first, one child per node, clean stop on SIGTERM.</summary>
public sealed class DevProcessTests
{
    [Fact]
    public async Task PrintsTheBootstrapLineFirstAndStopsEveryNodeOnSigterm()
    {
        var dir = Directory.CreateTempSubdirectory("tributary-dev-proc-").FullName;
        var basePort = FreeBasePort(3);
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "tributary.dll"), "dev", "--brokers", "3", "--zones", "a,b,c",
            "--data", dir, "--base-port", basePort.ToString(CultureInfo.InvariantCulture), "--stop-timeout-ms", "20000" })
        {
            psi.ArgumentList.Add(arg);
        }

        using var dev = Process.Start(psi)!;
        var stderr = dev.StandardError.ReadToEndAsync();
        try
        {
            using var firstLine = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var first = await dev.StandardOutput.ReadLineAsync(firstLine.Token);
            Assert.Equal($"bootstrap.servers=127.0.0.1:{basePort},127.0.0.1:{basePort + 1},127.0.0.1:{basePort + 2}", first);

            // One child per node, each with its own config and log file.
            var started = new List<string>();
            while (started.Count < 3 && await dev.StandardOutput.ReadLineAsync(firstLine.Token) is { } line)
            {
                if (line.Contains(" started: pid ", StringComparison.Ordinal))
                {
                    started.Add(line);
                }
            }

            Assert.Equal(3, started.Count);
            var pids = started.Select(l => int.Parse(l.Split("pid ")[1].Split(',')[0], CultureInfo.InvariantCulture)).ToList();
            for (var id = 1; id <= 3; id++)
            {
                Assert.True(File.Exists(Path.Combine(dir, $"node-{id}", "server.properties")));
                Assert.True(File.Exists(Path.Combine(dir, $"node-{id}", "broker.log")));
            }

            using (var kill = Process.Start("kill", ["-TERM", dev.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            var rest = dev.StandardOutput.ReadToEndAsync();
            using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await dev.WaitForExitAsync(exit.Token);
            Assert.True(dev.ExitCode == 0, $"exit {dev.ExitCode}\n{await rest}\n{await stderr}");
            Assert.Contains("node 3 stopped", await rest, StringComparison.Ordinal);
            Assert.All(pids, pid => Assert.False(IsAlive(pid), $"child {pid} still runs"));
        }
        finally
        {
            if (!dev.HasExited)
            {
                dev.Kill(entireProcessTree: true);
            }

            Directory.Delete(dir, recursive: true);
        }
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

    private static int FreeBasePort(int nodes)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var candidate = Random.Shared.Next(20_000, 40_000);
            if (Enumerable.Range(0, nodes).SelectMany(i => new[] { candidate + i, candidate + 100 + i, candidate + 200 + i }).All(IsFree))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("no free port range");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
