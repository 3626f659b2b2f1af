using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Tributary.Server;

/// <summary>
/// <c>tributary dev --brokers N --zones a,b,c --data DIR [--controllers K | --dedicated-controllers K] [--base-port P] [--override key=value ...]</c>: a
/// local multi-broker cluster, one <c>tributary broker</c> process per node (see
/// <see cref="DevClusterLayout"/> for ports and configs). The first stdout line is
/// <c>bootstrap.servers=...</c> (brokers only); status lines follow, the first naming the controllers. Children's logs go to DIR/node-N/broker.log.
/// Nothing is restarted automatically: a node that dies is reported and the rest keep running.
/// SIGTERM/SIGINT stops every node (SIGTERM, wait, then SIGKILL) and exits 0.
/// </summary>
public sealed class DevCommand : ICommand
{
    private readonly TributaryLauncher? _launcher;

    /// <param name="launcher">How to start the brokers; the current executable by default.</param>
    public DevCommand(TributaryLauncher? launcher = null) => _launcher = launcher;

    public string Name => "dev";

    public string Summary =>
        "run a local cluster, one process per node: dev --data DIR [--brokers N] [--zones a,b,c] [--controllers K | --dedicated-controllers K] [--base-port P] [--override key=value ...] [--config-only] [--console-logs]";

    public async Task<int> RunAsync(IReadOnlyList<string> args, CommandIO io, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(io);
        var cl = CommandLine.Parse(args, DevOptions.ValueOptions, DevOptions.FlagOptions);
        if (cl.HasFlag("--help") || cl.HasFlag("-h"))
        {
            await io.Out.WriteLineAsync("usage: tributary " + Summary).ConfigureAwait(false);
            return ExitCodes.Ok;
        }

        var options = DevOptions.Parse(cl);
        DevClusterLayout layout;
        try
        {
            layout = DevClusterLayout.Create(options, DevClusterLayout.LoadOrCreateClusterId(options.DataDir));
            layout.WriteConfigs();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            await io.Error.WriteLineAsync($"tributary dev: cannot prepare {options.DataDir}: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }

        if (!options.ConfigOnly && FirstPortInUse(layout) is { } taken)
        {
            await io.Error.WriteLineAsync($"tributary dev: port {taken} is already in use; pick another --base-port").ConfigureAwait(false);
            return ExitCodes.Failure;
        }

        var output = TextWriter.Synchronized(io.Out);
        output.WriteLine($"bootstrap.servers={layout.BootstrapServers}");
        output.Flush();
        if (options.ConfigOnly)
        {
            foreach (var node in layout.Nodes)
            {
                // key=value tokens so harnesses (tests/Tributary.TestSupport ClusterProcess) can read them.
                output.WriteLine($"node {node.Id}: roles={node.Roles} port={node.Port?.ToString(CultureInfo.InvariantCulture) ?? "-"} controller.port={node.ControllerPort?.ToString(CultureInfo.InvariantCulture) ?? "-"} "
                    + $"metrics.port={node.MetricsPort} rack={node.Rack ?? "-"} config={node.ConfigPath}");
            }

            output.Flush();
            return ExitCodes.Ok;
        }

        return await RunClusterAsync(layout, output, io.Error, stop).ConfigureAwait(false);
    }

    private async Task<int> RunClusterAsync(DevClusterLayout layout, TextWriter output, TextWriter error, CancellationToken stop)
    {
        var launcher = _launcher ?? TributaryLauncher.Current();
        var children = layout.Nodes.Select(n => new DevChildProcess(n, launcher, layout.Options.ConsoleLogs ? output : null)).ToList();
        try
        {
            output.WriteLine(layout.QuorumSummary);
            foreach (var child in children)
            {
                child.Start();
                var node = child.Node;
                output.WriteLine($"node {node.Id} started: pid {child.Pid}, {node.Roles}{(node.Rack is null ? "" : $", rack {node.Rack}")}, "
                    + $"{(node.BootstrapAddress is { } client ? $"{client}, " : "")}{(node.ControllerPort is { } cp ? $"controller 127.0.0.1:{cp}, " : "")}"
                    + $"metrics http://127.0.0.1:{node.MetricsPort}/metrics, log {node.LogPath}");
            }

            output.Flush();
            using var probing = CancellationTokenSource.CreateLinkedTokenSource(stop);
            var probes = children.Select(c => ReportListeningAsync(c, output, probing.Token)).ToList();
            await WatchAsync(children, output, stop).ConfigureAwait(false);
            await probing.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(probes).ConfigureAwait(false);

            if (!stop.IsCancellationRequested)
            {
                await error.WriteLineAsync("tributary dev: every node has exited").ConfigureAwait(false);
                return ExitCodes.Failure;
            }

            output.WriteLine($"stopping {children.Count(c => !c.HasExited)} node(s)");
            output.Flush();
            var stopped = await Task.WhenAll(children.Select(c => c.StopAsync(layout.Options.StopTimeout))).ConfigureAwait(false);
            for (var i = 0; i < children.Count; i++)
            {
                output.WriteLine($"node {children[i].Node.Id} stopped (exit code {children[i].ExitCode}{(stopped[i] ? "" : ", killed after the stop timeout")})");
            }

            output.Flush();
            return ExitCodes.Ok;
        }
        finally
        {
            foreach (var child in children)
            {
                await child.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Reports children that exit on their own until a stop is requested or none is left.</summary>
    private static async Task WatchAsync(List<DevChildProcess> children, TextWriter output, CancellationToken stop)
    {
        var running = children.ToDictionary(c => c.Exited, c => c);
        var stopped = Task.Delay(Timeout.Infinite, stop);
        while (running.Count > 0)
        {
            var done = await Task.WhenAny(running.Keys.Append(stopped)).ConfigureAwait(false);
            if (done == stopped)
            {
                return;
            }

            var child = running[done];
            running.Remove(done);
            if (stop.IsCancellationRequested)
            {
                return; // a Ctrl-C reaches the children too; their exit is part of the stop
            }

            output.WriteLine($"node {child.Node.Id} exited unexpectedly with code {child.ExitCode}; see {child.Node.LogPath}. "
                + $"{running.Count} node(s) keep running; nothing is restarted automatically.");
            output.Flush();
        }
    }

    /// <summary>Prints one line when a node accepts connections on its client port.</summary>
    private static async Task ReportListeningAsync(DevChildProcess child, TextWriter output, CancellationToken ct)
    {
        try
        {
            while (!child.HasExited)
            {
                using (var client = new TcpClient())
                {
                    try
                    {
                        await client.ConnectAsync(IPAddress.Loopback, child.Node.ListenPort, ct).ConfigureAwait(false);
                        output.WriteLine($"node {child.Node.Id} ({child.Node.Roles}) listening on 127.0.0.1:{child.Node.ListenPort}");
                        output.Flush();
                        return;
                    }
                    catch (SocketException)
                    {
                        // Not up yet.
                    }
                }

                await Task.Delay(200, ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private static int? FirstPortInUse(DevClusterLayout layout)
    {
        foreach (var node in layout.Nodes)
        {
            foreach (var port in new[] { node.Port ?? 0, node.ControllerPort ?? 0, node.MetricsPort }.Where(p => p > 0))
            {
                try
                {
                    using var listener = new TcpListener(IPAddress.Loopback, port);
                    listener.Start();
                }
                catch (SocketException)
                {
                    return port;
                }
            }
        }

        return null;
    }
}
