using System.Diagnostics;
using System.Text;

namespace Tributary.Server;

/// <summary>
/// One <c>tributary broker</c> child of <c>tributary dev</c>. Its stdout and stderr go, line by
/// line, to the node's log file (appended across restarts) and optionally to the console with a
/// <c>[node-N]</c> prefix.
/// </summary>
public sealed class DevChildProcess : IAsyncDisposable
{
    private readonly DevNode _node;
    private readonly TributaryLauncher _launcher;
    private readonly TextWriter? _console;
    private readonly Lock _logGate = new();
    private StreamWriter? _log;
    private Process? _process;

    public DevChildProcess(DevNode node, TributaryLauncher launcher, TextWriter? console)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(launcher);
        _node = node;
        _launcher = launcher;
        _console = console;
    }

    public DevNode Node => _node;

    public int Pid => _process?.Id ?? throw new InvalidOperationException("not started");

    public bool HasExited => _process is null || _process.HasExited;

    public int ExitCode => _process?.ExitCode ?? 0;

    /// <summary>Completes when the child has exited.</summary>
    public Task Exited => _process?.WaitForExitAsync() ?? Task.CompletedTask;

    public void Start()
    {
        if (_process is not null)
        {
            throw new InvalidOperationException($"node {_node.Id} was already started");
        }

        _log = new StreamWriter(new FileStream(_node.LogPath, FileMode.Append, FileAccess.Write, FileShare.Read), new UTF8Encoding(false)) { AutoFlush = true };
        var process = new Process { StartInfo = _launcher.StartInfo(["broker", "--config", _node.ConfigPath]) };
        process.OutputDataReceived += (_, e) => Relay(e.Data);
        process.ErrorDataReceived += (_, e) => Relay(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
    }

    private void Relay(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_logGate)
        {
            try
            {
                _log?.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // Output that arrives after disposal is dropped.
            }
        }

        _console?.WriteLine($"[node-{_node.Id}] {line}");
    }

    /// <summary>SIGTERM, then up to <paramref name="timeout"/> for a clean exit, then SIGKILL. True when it stopped by itself.</summary>
    public async Task<bool> StopAsync(TimeSpan timeout)
    {
        if (_process is not { HasExited: false } process)
        {
            return true;
        }

        ProcessSignals.Send(process.Id, ProcessSignals.Sigterm);
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { } process)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            process.Dispose();
        }

        lock (_logGate)
        {
            _log?.Dispose();
            _log = null;
        }
    }
}
