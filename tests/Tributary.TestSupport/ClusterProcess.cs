using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Tributary.TestSupport;

/// <summary>
/// A multi-process Tributary cluster on loopback for end-to-end tests. `tributary dev --config-only`
/// writes every node's server.properties (one source of truth for the layout); the brokers are then
/// started here, one `tributary broker --config` process each, so single nodes can be SIGKILLed,
/// SIGTERMed, wiped and restarted on their own data dirs. The project using it must reference
/// Tributary.Server so that tributary.dll sits beside it.
/// </summary>
public sealed class ClusterProcess : IAsyncDisposable
{
    private readonly Dictionary<int, Process?> _processes = [];
    private readonly Dictionary<int, StringBuilder> _output = [];
    private readonly IReadOnlyList<string> _overrides;

    private ClusterProcess(string dataDir, string bootstrap, IReadOnlyList<ClusterNode> nodes, IReadOnlyList<string> overrides)
    {
        DataDir = dataDir;
        BootstrapServers = bootstrap;
        Nodes = nodes;
        _overrides = overrides;
        foreach (var node in nodes)
        {
            _processes[node.Id] = null;
            _output[node.Id] = new StringBuilder();
        }
    }

    public string DataDir { get; }

    public string BootstrapServers { get; }

    public IReadOnlyList<ClusterNode> Nodes { get; }

    public ClusterNode Node(int id) => Nodes.Single(n => n.Id == id);

    /// <summary>The pid of a running node.</summary>
    public int Pid(int id) => _processes[id] is { HasExited: false } p ? p.Id : throw new InvalidOperationException($"node {id} is not running");

    public bool IsRunning(int id) => _processes[id] is { HasExited: false };

    /// <summary>Everything a node printed (all its runs).</summary>
    public string Output(int id)
    {
        var sb = _output[id];
        lock (sb)
        {
            return sb.ToString();
        }
    }

    /// <summary>The nodes that serve clients (all but dedicated controllers).</summary>
    public IEnumerable<ClusterNode> Brokers => Nodes.Where(n => n.IsBroker);

    /// <summary>The metadata quorum's voters (combined or dedicated).</summary>
    public IEnumerable<ClusterNode> Controllers => Nodes.Where(n => n.IsController);

    /// <summary>
    /// Lays out and starts <paramref name="brokers"/> nodes (the first min(3, N), or
    /// <paramref name="controllers"/>, also controllers; or, with <paramref name="dedicatedControllers"/>,
    /// that many extra controller-only nodes with ids N+1..) on free loopback ports and waits until every
    /// node listens and every broker is live. <paramref name="overrides"/> are passed to every node as --override key=value.
    /// </summary>
    public static async Task<ClusterProcess> StartAsync(int brokers, string? zones = "a,b,c", int? controllers = null,
        IReadOnlyDictionary<string, string>? overrides = null, int? dedicatedControllers = null)
    {
        var dir = Directory.CreateTempSubdirectory("tributary-cluster-").FullName;
        var args = new List<string> { "dev", "--brokers", brokers.ToString(CultureInfo.InvariantCulture), "--data", dir, "--config-only",
            "--base-port", FreeBasePort(brokers + (dedicatedControllers ?? 0)).ToString(CultureInfo.InvariantCulture) };
        if (zones is not null)
        {
            args.AddRange(["--zones", zones]);
        }

        if (controllers is { } k)
        {
            args.AddRange(["--controllers", k.ToString(CultureInfo.InvariantCulture)]);
        }

        if (dedicatedControllers is { } d)
        {
            args.AddRange(["--dedicated-controllers", d.ToString(CultureInfo.InvariantCulture)]);
        }

        var result = await RunTributaryAsync(args).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"tributary dev --config-only failed: {result}");
        }

        var lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        const string prefix = "bootstrap.servers=";
        if (lines.Length == 0 || !lines[0].StartsWith(prefix, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"tributary dev printed no bootstrap line first: {result}");
        }

        var nodes = lines.Skip(1).Where(l => l.StartsWith("node ", StringComparison.Ordinal)).Select(ParseNode).ToList();
        var cluster = new ClusterProcess(dir, lines[0][prefix.Length..], nodes,
            overrides?.Select(kv => $"{kv.Key}={kv.Value}").ToList() ?? []);
        try
        {
            foreach (var node in nodes)
            {
                cluster.Launch(node.Id);
            }

            foreach (var node in nodes)
            {
                await cluster.WaitUntilListeningAsync(node.Id).ConfigureAwait(false);
            }

            await cluster.WaitUntilAllBrokersLiveAsync(nodes.Count(n => n.IsBroker)).ConfigureAwait(false);
        }
        catch
        {
            await cluster.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return cluster;
    }

    /// <summary>SIGKILL: no flush, no controlled shutdown, like a crashed machine.</summary>
    public async Task KillAsync(int id)
    {
        if (_processes[id] is { HasExited: false } p)
        {
            p.Kill(entireProcessTree: true);
            await p.WaitForExitAsync().ConfigureAwait(false);
        }
    }

    /// <summary>SIGTERM and wait for the node's orderly shutdown; returns its exit code.</summary>
    public async Task<int> StopAsync(int id, TimeSpan? timeout = null)
    {
        if (_processes[id] is not { } p)
        {
            return 0;
        }

        if (!p.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", p.Id.ToString(CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync().ConfigureAwait(false);
            using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
            await p.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
        }

        return p.ExitCode;
    }

    /// <summary>Starts a node again on its data dir (stopping it first if it runs) and waits until it listens.</summary>
    public async Task RestartAsync(int id)
    {
        if (IsRunning(id))
        {
            await StopAsync(id).ConfigureAwait(false);
        }

        Launch(id);
        await WaitUntilListeningAsync(id).ConfigureAwait(false);
    }

    /// <summary>
    /// Waits until the cluster's metadata lists <paramref name="count"/> live (registered, unfenced)
    /// brokers, so a test's first topic is placed over all of them, as an operator would wait.
    /// </summary>
    public async Task WaitUntilAllBrokersLiveAsync(int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        using var admin = new Confluent.Kafka.AdminClientBuilder(RealClients.AdminConfig(BootstrapServers)).Build();
        var live = 0;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                live = admin.GetMetadata(TimeSpan.FromSeconds(5)).Brokers.Count;
                if (live >= count)
                {
                    return;
                }
            }
            catch (Confluent.Kafka.KafkaException)
            {
                // Not answering yet: the brokers are still joining the quorum.
            }

            await Task.Delay(200).ConfigureAwait(false);
        }

        throw new TimeoutException($"only {live} of {count} brokers became live");
    }

    /// <summary>Deletes a stopped node's log dirs, as if its disk had been replaced.</summary>
    public void WipeData(int id)
    {
        if (IsRunning(id))
        {
            throw new InvalidOperationException($"node {id} is running");
        }

        if (Directory.Exists(Node(id).LogDir))
        {
            Directory.Delete(Node(id).LogDir, recursive: true);
        }
    }

    /// <summary>The node's Prometheus text from /metrics.</summary>
    public async Task<string> MetricsAsync(int id)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        return await http.GetStringAsync(new Uri($"http://127.0.0.1:{Node(id).MetricsPort}/metrics")).ConfigureAwait(false);
    }

    /// <summary>Bytes of a partition's segment files on a node's disk (0 when it has none).</summary>
    public long PartitionLogBytes(int id, string topic, int partition)
    {
        var dir = Path.Combine(Node(id).LogDir, $"{topic}-{partition}");
        return Directory.Exists(dir) ? new DirectoryInfo(dir).GetFiles("*.log").Sum(f => f.Length) : 0;
    }

    private void Launch(int id)
    {
        var node = Node(id);
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "tributary.dll"));
        psi.ArgumentList.Add("broker");
        psi.ArgumentList.Add("--config");
        psi.ArgumentList.Add(node.ConfigPath);
        foreach (var o in _overrides)
        {
            psi.ArgumentList.Add("--override");
            psi.ArgumentList.Add(o);
        }

        var sb = _output[id];
        var process = new Process { StartInfo = psi };
        process.OutputDataReceived += (_, e) => Append(sb, e.Data);
        process.ErrorDataReceived += (_, e) => Append(sb, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _processes[id]?.Dispose();
        _processes[id] = process;
    }

    private static void Append(StringBuilder sb, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (sb)
        {
            sb.AppendLine(line);
        }
    }

    private async Task WaitUntilListeningAsync(int id)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (_processes[id] is not { HasExited: false } p)
            {
                throw new InvalidOperationException($"node {id} exited with {_processes[id]?.ExitCode}:\n{Output(id)}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Node(id).Port).ConfigureAwait(false);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100).ConfigureAwait(false);
            }
        }

        throw new TimeoutException($"node {id} did not listen on {Node(id).Port}:\n{Output(id)}");
    }

    private static ClusterNode ParseNode(string line)
    {
        // node 1: roles=broker,controller port=9092 controller.port=9192 metrics.port=9292 rack=a config=/path
        // node 4: roles=controller port=- controller.port=9195 metrics.port=9295 rack=- config=/path (dedicated)
        var colon = line.IndexOf(':', StringComparison.Ordinal);
        var id = int.Parse(line.AsSpan(5, colon - 5), CultureInfo.InvariantCulture);
        var fields = line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(t => t.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv[1], StringComparer.Ordinal);
        var roles = fields["roles"].Split(',');
        int? controllerPort = fields["controller.port"] == "-" ? null : int.Parse(fields["controller.port"], CultureInfo.InvariantCulture);
        var isBroker = roles.Contains("broker");
        return new ClusterNode(
            id,
            roles.Contains("controller"),
            // A dedicated controller has no client port: its controller port is the one it listens on.
            isBroker ? int.Parse(fields["port"], CultureInfo.InvariantCulture) : controllerPort ?? throw new FormatException($"node {id} has no port: {line}"),
            controllerPort,
            int.Parse(fields["metrics.port"], CultureInfo.InvariantCulture),
            fields["rack"] == "-" ? null : fields["rack"],
            fields["config"],
            isBroker);
    }

    /// <summary>A base port whose client, controller and metrics ranges are all free right now.</summary>
    private static int FreeBasePort(int brokers)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            // Below Linux's ephemeral range (32768-60999): a restarted node must get its ports back,
            // and an outgoing connection may hold any ephemeral port, even one a killed node listened on.
            var candidate = Random.Shared.Next(15_000, 32_000);
            var ports = Enumerable.Range(0, brokers).SelectMany(i => new[] { candidate + i, candidate + 100 + i, candidate + 200 + i });
            if (ports.All(IsFree))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("no free port range found on 127.0.0.1");
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

    private static async Task<ProcessResult> RunTributaryAsync(IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "tributary.dll"));
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return new ProcessResult(-1, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false), TimedOut: true);
        }

        return new ProcessResult(process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false), TimedOut: false);
    }

    /// <summary>Stops every node (SIGTERM, then SIGKILL after a grace period) and deletes the data.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var id in _processes.Keys.ToList())
        {
            try
            {
                await StopAsync(id, TimeSpan.FromSeconds(30)).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                await KillAsync(id).ConfigureAwait(false);
            }

            _processes[id]?.Dispose();
        }

        try
        {
            // TRIBUTARY_KEEP_CLUSTER_DATA=1 keeps the nodes' logs and data for a post-mortem.
            if (Environment.GetEnvironmentVariable("TRIBUTARY_KEEP_CLUSTER_DATA") != "1")
            {
                Directory.Delete(DataDir, recursive: true);
            }
        }
        catch (IOException)
        {
            // Best effort: a temp directory left behind is harmless.
        }
    }
}
