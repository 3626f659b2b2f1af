using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Tributary.TestSupport;

/// <summary>
/// A real `tributary broker` process on loopback with its own data directory, as a user runs it.
/// The project using it must reference Tributary.Server so that tributary.dll sits beside it.
/// Restartable on the same directory (clean stop or SIGKILL) to test durability.
/// </summary>
public sealed class BrokerProcess : IAsyncDisposable
{
    private readonly StringBuilder _output = new();
    private readonly Dictionary<string, string> _extraConfig;
    private Process? _process;

    private BrokerProcess(string dataDir, int port, int controllerPort, int metricsPort, Dictionary<string, string> extraConfig, bool ownsDir)
    {
        DataDir = dataDir;
        Port = port;
        ControllerPort = controllerPort;
        MetricsPort = metricsPort;
        _extraConfig = extraConfig;
        OwnsDir = ownsDir;
    }

    public string DataDir { get; }

    public int Port { get; }

    public int ControllerPort { get; }

    public int MetricsPort { get; }

    private bool OwnsDir { get; }

    public string BootstrapServers => $"127.0.0.1:{Port}";

    /// <summary>The running process id (for signalling it from tests).</summary>
    public int Pid => _process?.Id ?? throw new InvalidOperationException("not started");

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<BrokerProcess> StartAsync(IReadOnlyDictionary<string, string>? config = null, string? dataDir = null)
    {
        var dir = dataDir ?? Directory.CreateTempSubdirectory("tributary-e2e-").FullName;
        var broker = new BrokerProcess(dir, FreePort(), FreePort(), FreePort(),
            config?.ToDictionary(kv => kv.Key, kv => kv.Value) ?? new Dictionary<string, string>(), ownsDir: dataDir is null);
        await broker.StartAgainAsync().ConfigureAwait(false);
        return broker;
    }

    /// <summary>Starts the process (again) on the same data directory and ports.</summary>
    public async Task StartAgainAsync()
    {
        var configPath = Path.Combine(DataDir, "server.properties");
        await File.WriteAllTextAsync(configPath, RenderConfig()).ConfigureAwait(false);
        var exe = Path.Combine(AppContext.BaseDirectory, "tributary.dll");
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(exe);
        psi.ArgumentList.Add("broker");
        psi.ArgumentList.Add("--config");
        psi.ArgumentList.Add(configPath);
        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        await WaitUntilListeningAsync().ConfigureAwait(false);
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private string RenderConfig()
    {
        var props = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["node.id"] = "1",
            ["process.roles"] = "broker,controller",
            ["listeners"] = $"PLAINTEXT://127.0.0.1:{Port},CONTROLLER://127.0.0.1:{ControllerPort}",
            ["advertised.listeners"] = $"PLAINTEXT://127.0.0.1:{Port}",
            ["controller.listener.names"] = "CONTROLLER",
            ["controller.quorum.voters"] = $"1@127.0.0.1:{ControllerPort}",
            ["log.dirs"] = Path.Combine(DataDir, "logs"),
            ["num.partitions"] = "1",
            ["offsets.topic.replication.factor"] = "1",
            ["offsets.topic.num.partitions"] = "5",
            ["group.initial.rebalance.delay.ms"] = "0",
            ["tributary.metrics.listener"] = $"127.0.0.1:{MetricsPort}",
        };
        foreach (var (key, value) in _extraConfig)
        {
            props[key] = value;
        }

        var sb = new StringBuilder();
        foreach (var (key, value) in props)
        {
            sb.Append(key).Append('=').Append(value).Append('\n');
        }

        return sb.ToString();
    }

    private async Task WaitUntilListeningAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process!.HasExited)
            {
                throw new InvalidOperationException($"broker exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port).ConfigureAwait(false);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100).ConfigureAwait(false);
            }
        }

        throw new TimeoutException($"broker did not listen on {Port}:\n{Output}");
    }

    /// <summary>SIGKILL: no flush, no shutdown hooks, like a crashed node.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } p)
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
        }
    }

    /// <summary>SIGTERM and wait for a clean exit; returns the exit code.</summary>
    public async Task<int> StopAsync()
    {
        if (_process is not { HasExited: false } p)
        {
            return _process?.ExitCode ?? 0;
        }

        using (var kill = Process.Start("kill", ["-TERM", p.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync().ConfigureAwait(false);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await p.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        return p.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Kill();
        }

        _process?.Dispose();
        if (OwnsDir)
        {
            try
            {
                Directory.Delete(DataDir, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: a temp directory left behind is harmless.
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
