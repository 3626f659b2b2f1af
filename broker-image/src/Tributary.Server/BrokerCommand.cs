using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Tributary.Broker.Config;
using Tributary.Broker.Metrics;
using Tributary.Broker;
using Tributary.Broker.Network;

namespace Tributary.Server;

/// <summary>
/// <c>tributary broker --config server.properties [--override key=value ...]</c>: validates the
/// configuration (exit 2 with a message naming the key and value if it is wrong), starts the
/// Kafka listeners and the metrics endpoint, and on SIGTERM/SIGINT drains connections, runs the
/// shutdown hooks and flushes the logs.
/// </summary>
public sealed partial class BrokerCommand : ICommand
{
    private static readonly HashSet<string> ValueOptions = new(StringComparer.Ordinal) { "--config", "--override" };
    private static readonly HashSet<string> FlagOptions = new(StringComparer.Ordinal) { "--help", "-h" };

    private readonly Action<BrokerRuntime>? _onStarted;

    /// <param name="onStarted">Called once the listeners are bound (tests and <c>tributary dev</c> read the ports).</param>
    public BrokerCommand(Action<BrokerRuntime>? onStarted = null) => _onStarted = onStarted;

    public string Name => "broker";

    public string Summary => "run a Kafka broker/controller: broker --config server.properties [--override key=value ...]";

    /// <summary>Extra steps for the way down; the request layer and storage register their flushes here.</summary>
    public ShutdownHooks ShutdownHooks { get; } = new();

    public async Task<int> RunAsync(IReadOnlyList<string> args, CommandIO io, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(io);
        var cl = CommandLine.Parse(args, ValueOptions, FlagOptions);
        if (cl.HasFlag("--help") || cl.HasFlag("-h"))
        {
            await io.Out.WriteLineAsync("usage: tributary " + Summary).ConfigureAwait(false);
            return ExitCodes.Ok;
        }

        // In a pod the operator's ConfigMap is found from the environment; elsewhere --config is required.
        string path = cl.Value("--config") ?? PodConfigLocator.Resolve(io.Environment)
            ?? throw new UsageException("broker needs --config <server.properties> (or TRIBUTARY_CONFIG_DIR and POD_NAME in a pod)");
        BrokerConfig config;
        try
        {
            config = ConfigLoader.Load(path, ParseOverrides(cl.Values("--override")), io.Environment);
        }
        catch (ConfigException e)
        {
            await io.Error.WriteLineAsync($"tributary broker: refusing to start: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        using ILoggerFactory loggers = CreateLoggerFactory(config);
        return await RunAsync(config, loggers, io, stop).ConfigureAwait(false);
    }

    private async Task<int> RunAsync(BrokerConfig config, ILoggerFactory loggers, CommandIO io, CancellationToken stop)
    {
        ILogger log = loggers.CreateLogger("Tributary.Broker");
        foreach (string key in config.UnknownKeys)
        {
            LogUnknownKey(log, key, config.Values[key]);
        }

        var registry = new MetricsRegistry();
        var metrics = new BrokerMetrics(registry);
        BrokerNode node;
        try
        {
            // Storage recovery, metadata replay and cluster bootstrap happen before any listener opens.
            node = await BrokerNode.OpenAsync(config, loggers, metrics, stop).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or Storage.StorageException)
        {
            LogStartFailed(log, e.Message);
            await io.Error.WriteLineAsync($"tributary broker: cannot start: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }

        await using var nodeScope = node.ConfigureAwait(false);
        await using var server = new SocketServer(ListenerBinding.FromConfig(config), node.Dispatcher,
            SocketServerOptions.FromConfig(config), metrics, loggers.CreateLogger<SocketServer>());
        node.AttachListeners(name => server.BoundListeners.FirstOrDefault(l => l.Name == name)?.EndPoint);
        bool ready = false;
        MetricsHttpServer? http = config.MetricsListener is { } ml
            ? new MetricsHttpServer(ToEndPoint(ml), registry, () => Volatile.Read(ref ready), loggers.CreateLogger<MetricsHttpServer>())
            : null;
        try
        {
            server.Start();
            http?.Start();
        }
        catch (Exception e) when (e is SocketException or NotSupportedException)
        {
            LogStartFailed(log, e.Message);
            await io.Error.WriteLineAsync($"tributary broker: cannot start: {e.Message}").ConfigureAwait(false);
            if (http is not null)
            {
                await http.DisposeAsync().ConfigureAwait(false);
            }

            return e is NotSupportedException ? ExitCodes.Usage : ExitCodes.Failure;
        }

        // A cluster node joins the metadata quorum and registers now that its listeners answer;
        // it reports ready once the controller has unfenced it.
        await node.StartAsync(stop).ConfigureAwait(false);
        _ = node.Ready.ContinueWith(_ => Volatile.Write(ref ready, true), CancellationToken.None,
            TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
        LogStarted(log, config.NodeId, config.ProcessRoles.ToString(),
            string.Join(", ", server.BoundListeners.Select(l => $"{l.Name}={l.EndPoint}")));
        _onStarted?.Invoke(new BrokerRuntime(config, server, http, metrics));

        try
        {
            await Task.Delay(Timeout.Infinite, stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // SIGTERM / SIGINT: fall through to the orderly shutdown.
        }

        Volatile.Write(ref ready, false);
        LogStopping(log, config.ShutdownTimeoutMs);
        // Leaderships move away (controlled shutdown) while this node still answers its followers.
        await node.ShutdownAsync(TimeSpan.FromMilliseconds(config.ShutdownTimeoutMs)).ConfigureAwait(false);
        await server.StopAsync(TimeSpan.FromMilliseconds(config.ShutdownTimeoutMs)).ConfigureAwait(false);
        if (http is not null)
        {
            await http.DisposeAsync().ConfigureAwait(false);
        }

        await ShutdownHooks.RunAsync(log).ConfigureAwait(false);
        // Flushes every log, writes producer-state snapshots and the recovery checkpoints.
        await node.DisposeAsync().ConfigureAwait(false);
        LogStopped(log);
        return ExitCodes.Ok;
    }

    private static Dictionary<string, string> ParseOverrides(IReadOnlyList<string> overrides)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string o in overrides)
        {
            int eq = o.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new UsageException($"--override expects key=value, got '{o}'");
            }

            result[o[..eq].Trim()] = o[(eq + 1)..];
        }

        return result;
    }

    private static IPEndPoint ToEndPoint(ListenerEndpoint endpoint)
    {
        IPAddress address = endpoint.IsAllInterfaces
            ? (endpoint.Host == "0.0.0.0" || !Socket.OSSupportsIPv6 ? IPAddress.Any : IPAddress.IPv6Any)
            : IPAddress.TryParse(endpoint.Host, out var ip) ? ip : Dns.GetHostAddresses(endpoint.Host)[0];
        return new IPEndPoint(address, endpoint.Port);
    }

    private static ILoggerFactory CreateLoggerFactory(BrokerConfig config)
    {
        LogLevel level = config.ServerLogLevel switch
        {
            "trace" => LogLevel.Trace,
            "debug" => LogLevel.Debug,
            "warn" => LogLevel.Warning,
            "error" => LogLevel.Error,
            _ => LogLevel.Information,
        };
        return LoggerFactory.Create(builder =>
        {
            builder.SetMinimumLevel(level);
            if (config.ServerLogFormat == "json")
            {
                builder.AddJsonConsole(o => { o.UseUtcTimestamp = true; o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ"; });
            }
            else
            {
                builder.AddSimpleConsole(o => { o.SingleLine = true; o.UseUtcTimestamp = true; o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ "; });
            }
        });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Unknown configuration key '{Key}' (value '{Value}') is ignored")]
    private static partial void LogUnknownKey(ILogger logger, string key, string value);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Broker cannot start: {Reason}")]
    private static partial void LogStartFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Tributary node {NodeId} ({Roles}) started; listeners: {Listeners}")]
    private static partial void LogStarted(ILogger logger, int nodeId, string roles, string listeners);

    [LoggerMessage(Level = LogLevel.Information, Message = "Shutting down: draining connections for up to {TimeoutMs} ms")]
    private static partial void LogStopping(ILogger logger, int timeoutMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Broker stopped")]
    private static partial void LogStopped(ILogger logger);
}
