using System.Globalization;
using System.Runtime.InteropServices;

namespace Tributary.Server;

/// <summary>
/// <c>tributary shutdown [--pid N] [--wait] [--timeout-ms N]</c>: asks a running broker to stop
/// cleanly (SIGTERM, which runs its orderly shutdown: stop accepting, drain, flush logs, write
/// checkpoints) and optionally waits until it has exited. The operator renders it as the broker
/// pod's preStop hook, where the broker is the container's PID 1 (the default).
/// </summary>
public sealed partial class ShutdownCommand : ICommand
{
    private const int Sigterm = 15;

    public string Name => "shutdown";

    public string Summary => "stop a running broker cleanly: shutdown [--pid N (default 1)] [--wait] [--timeout-ms N]";

    public async Task<int> RunAsync(IReadOnlyList<string> args, CommandIO io, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(io);
        var cl = CommandLine.Parse(args, new HashSet<string>(StringComparer.Ordinal) { "--pid", "--timeout-ms" },
            new HashSet<string>(StringComparer.Ordinal) { "--wait" });
        var pid = ParsePositive(cl.Value("--pid") ?? "1", "--pid");
        var timeout = TimeSpan.FromMilliseconds(ParsePositive(cl.Value("--timeout-ms") ?? "110000", "--timeout-ms"));
        if (!IsAlive(pid))
        {
            await io.Error.WriteLineAsync($"tributary shutdown: no process {pid}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }

        if (Kill(pid, Sigterm) != 0)
        {
            await io.Error.WriteLineAsync($"tributary shutdown: cannot signal process {pid}: errno {Marshal.GetLastPInvokeError()}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }

        if (!cl.HasFlag("--wait"))
        {
            return ExitCodes.Ok;
        }

        var deadline = DateTime.UtcNow + timeout;
        while (IsAlive(pid))
        {
            if (DateTime.UtcNow > deadline)
            {
                await io.Error.WriteLineAsync($"tributary shutdown: process {pid} still running after {timeout.TotalSeconds:F0} s").ConfigureAwait(false);
                return ExitCodes.Failure;
            }

            await Task.Delay(100, stop).ConfigureAwait(false);
        }

        await io.Out.WriteLineAsync($"tributary shutdown: process {pid} stopped").ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    private static int ParsePositive(string text, string option) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new UsageException($"{option} must be a positive integer, not '{text}'");

    /// <summary>A process is alive while /proc has it and it is not a zombie awaiting its parent.</summary>
    private static bool IsAlive(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        try
        {
            var text = File.ReadAllText(stat);
            var state = text[(text.LastIndexOf(')') + 2)..];
            return !state.StartsWith('Z');
        }
        catch (IOException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
