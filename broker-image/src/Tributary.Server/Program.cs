using System.Runtime.InteropServices;
using Tributary.Broker.Config;

namespace Tributary.Server;

/// <summary>Entry point of the <c>tributary</c> executable: dispatches to a subcommand.</summary>
public static class Program
{
    /// <summary>The subcommands; <c>connect</c> and <c>replicator</c> are placeholders until they are built.</summary>
    public static IReadOnlyList<ICommand> Commands(Action<BrokerRuntime>? onBrokerStarted = null) =>
    [
        new BrokerCommand(onBrokerStarted),
        new ShutdownCommand(),
        new DevCommand(),
        new KafkaCli.TopicsCommand(),
        new KafkaCli.ConfigsCommand(),
        new KafkaCli.AclsCommand(),
        new NotAvailableCommand("connect", "run a Kafka Connect worker"),
        new NotAvailableCommand("replicator", "replicate topics between clusters"),
    ];

    public static async Task<int> Main(string[] args)
    {
        // Before any socket exists: the runtime reads this once (see SocketEventThreads).
        Broker.Network.SocketEventThreads.PreferInlineCompletions();
        using var stop = new CancellationTokenSource();

        // First SIGTERM/SIGINT starts a clean shutdown; a second one kills the process the default way.
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = !stop.IsCancellationRequested;
            stop.Cancel();
        }

        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        var io = new CommandIO(Console.Out, Console.Error, ConfigLoader.ProcessEnvironment());
        return await RunAsync(args, io, stop.Token).ConfigureAwait(false);
    }

    /// <summary>Runs one command line in-process (what <see cref="Main"/> does, minus signals).</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, CommandIO io, CancellationToken stop, Action<BrokerRuntime>? onBrokerStarted = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(io);
        var commands = Commands(onBrokerStarted);
        if (args.Count == 0 || args[0] is "help" or "--help" or "-h")
        {
            await (args.Count == 0 ? io.Error : io.Out).WriteAsync(Usage(commands)).ConfigureAwait(false);
            return args.Count == 0 ? ExitCodes.Usage : ExitCodes.Ok;
        }

        try
        {
            ICommand command = commands.FirstOrDefault(c => c.Name == args[0])
                ?? throw new UsageException($"unknown command '{args[0]}'");
            return await command.RunAsync(args, io, stop).ConfigureAwait(false);
        }
        catch (UsageException e)
        {
            await io.Error.WriteLineAsync($"tributary: {e.Message}").ConfigureAwait(false);
            await io.Error.WriteAsync(Usage(commands)).ConfigureAwait(false);
            return ExitCodes.Usage;
        }
    }

    private static string Usage(IReadOnlyList<ICommand> commands) =>
        "usage: tributary <command> [options]\n\ncommands:\n"
        + string.Concat(commands.Select(c => $"  {c.Name,-14}{c.Summary}\n"));
}
