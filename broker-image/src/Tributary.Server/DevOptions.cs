using System.Globalization;

namespace Tributary.Server;

/// <summary>
/// The validated command line of <c>tributary dev</c>. Every rule a user can break is checked here,
/// before anything is written or started, and reported as a <see cref="UsageException"/> (exit code 2).
/// </summary>
public sealed record DevOptions
{
    public const int MaxBrokers = 32;

    /// <summary>Largest dedicated controller quorum (Kafka recommends 3 or 5; more only slows commits).</summary>
    public const int MaxDedicatedControllers = 9;

    /// <summary>Offset of the controller listeners from the base port (node index added).</summary>
    public const int ControllerPortOffset = 100;

    /// <summary>Offset of the metrics endpoints from the base port (node index added).</summary>
    public const int MetricsPortOffset = 200;

    public static readonly IReadOnlySet<string> ValueOptions = new HashSet<string>(StringComparer.Ordinal)
    {
        "--brokers", "--zones", "--data", "--controllers", "--dedicated-controllers", "--base-port", "--stop-timeout-ms", "--override",
    };

    /// <summary>
    /// Keys <c>dev</c> computes per node (identity, listeners, quorum, storage, rack): an override
    /// would break the port layout or make nodes collide, so <c>--override</c> refuses them.
    /// </summary>
    public static readonly IReadOnlySet<string> LayoutKeys = new HashSet<string>(StringComparer.Ordinal)
    {
        "node.id", "process.roles", "cluster.id", "broker.rack", "listeners", "advertised.listeners",
        "listener.security.protocol.map", "inter.broker.listener.name", "controller.listener.names",
        "controller.quorum.voters", "log.dirs", "log.dir", "tributary.metrics.listener",
    };

    public static readonly IReadOnlySet<string> FlagOptions = new HashSet<string>(StringComparer.Ordinal)
    {
        "--config-only", "--console-logs", "--help", "-h",
    };

    public int Brokers { get; init; } = 1;

    /// <summary>Racks handed out round-robin (node i gets zones[i % count]); empty = no broker.rack.</summary>
    public IReadOnlyList<string> Zones { get; init; } = [];

    public required string DataDir { get; init; }

    /// <summary>How many of the first nodes are also controllers (combined mode); 0 with dedicated controllers.</summary>
    public int Controllers { get; init; } = 1;

    /// <summary>
    /// How many controller-only nodes run beside the brokers (ids N+1..N+K); when non-zero they are
    /// the whole quorum and every broker is broker-only.
    /// </summary>
    public int DedicatedControllers { get; init; }

    /// <summary>Brokers plus dedicated controllers: every process <c>dev</c> runs.</summary>
    public int TotalNodes => Brokers + DedicatedControllers;

    public int BasePort { get; init; } = 9092;

    /// <summary>How long the children get to stop after SIGTERM before they are killed.</summary>
    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Extra broker properties from <c>--override key=value</c>, in command-line order: each replaces
    /// the key's default in every node's <c>server.properties</c> or is appended to it.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> Overrides { get; init; } = [];

    /// <summary>Write the configs, print the bootstrap line and exit (test harnesses start the brokers themselves).</summary>
    public bool ConfigOnly { get; init; }

    /// <summary>Also copy the children's logs to the console, each line prefixed with its node.</summary>
    public bool ConsoleLogs { get; init; }

    /// <summary>Parses and validates <c>dev</c>'s options; the data dir is made absolute.</summary>
    public static DevOptions Parse(CommandLine cl)
    {
        ArgumentNullException.ThrowIfNull(cl);
        var brokers = ParseInt(cl.Value("--brokers"), "--brokers", 1, 1, MaxBrokers);
        var zones = ParseZones(cl.Value("--zones"));
        var dedicated = ParseInt(cl.Value("--dedicated-controllers"), "--dedicated-controllers", 0, 1, MaxDedicatedControllers);
        if (dedicated > 0 && cl.Value("--controllers") is not null)
        {
            // Combined and dedicated controllers cannot be mixed: the quorum is one or the other.
            throw new UsageException("--controllers and --dedicated-controllers are mutually exclusive (--controllers K makes the first K brokers also controllers; --dedicated-controllers K adds K controller-only nodes)");
        }

        var controllers = dedicated > 0 ? 0 : ParseInt(cl.Value("--controllers"), "--controllers", Math.Min(3, brokers), 1, brokers);
        var nodes = brokers + dedicated;
        var basePort = ParseInt(cl.Value("--base-port"), "--base-port", 9092, 1024, 65535);
        if (basePort + MetricsPortOffset + nodes - 1 > 65535)
        {
            throw new UsageException($"--base-port {basePort} leaves no room for {nodes} nodes' metrics ports (base + {MetricsPortOffset} + node index must be <= 65535)");
        }

        if (nodes > ControllerPortOffset)
        {
            throw new UsageException($"{nodes} nodes: the port layout fits at most {ControllerPortOffset} nodes");
        }

        // Required: a cluster's data should never land in whatever directory the command ran from.
        var data = cl.Value("--data") ?? throw new UsageException("dev needs --data DIR (where each node keeps its config, logs and data)");
        if (string.IsNullOrWhiteSpace(data))
        {
            throw new UsageException("--data must name a directory");
        }

        var stopMs = ParseInt(cl.Value("--stop-timeout-ms"), "--stop-timeout-ms", 30_000, 1, int.MaxValue);
        return new DevOptions
        {
            Brokers = brokers,
            Zones = zones,
            DataDir = Path.GetFullPath(data),
            Controllers = controllers,
            DedicatedControllers = dedicated,
            BasePort = basePort,
            StopTimeout = TimeSpan.FromMilliseconds(stopMs),
            Overrides = ParseOverrides(cl.Values("--override")),
            ConfigOnly = cl.HasFlag("--config-only"),
            ConsoleLogs = cl.HasFlag("--console-logs"),
        };
    }

    private static int ParseInt(string? text, string option, int fallback, int min, int max)
    {
        if (text is null)
        {
            return fallback;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new UsageException($"{option} must be a whole number from {min} to {max}, not '{text}'");
        }

        return value;
    }

    private static string[] ParseZones(string? text)
    {
        if (text is null)
        {
            return [];
        }

        var zones = text.Split(',', StringSplitOptions.TrimEntries);
        foreach (var zone in zones)
        {
            if (zone.Length == 0 || !zone.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                throw new UsageException($"--zones must be a comma-separated list of names (letters, digits, '-', '_', '.'), not '{text}'");
            }
        }

        if (zones.Distinct(StringComparer.Ordinal).Count() != zones.Length)
        {
            throw new UsageException($"--zones lists a zone twice: '{text}'");
        }

        return zones;
    }

    private static List<KeyValuePair<string, string>> ParseOverrides(IReadOnlyList<string> overrides)
    {
        var result = new List<KeyValuePair<string, string>>(overrides.Count);
        foreach (var text in overrides)
        {
            var eq = text.IndexOf('=', StringComparison.Ordinal);
            var key = eq < 0 ? "" : text[..eq].Trim();
            // The key becomes a server.properties key as written: nothing the properties format would reinterpret.
            if (key.Length == 0 || key.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is ':' or '\\' or '#' or '!'))
            {
                throw new UsageException($"--override expects key=value with a plain property name, not '{text}'");
            }

            var value = text[(eq + 1)..];
            // A line break or backslash would end or re-escape the value in server.properties.
            if (value.Any(c => char.IsControl(c) || c == '\\'))
            {
                throw new UsageException($"--override {key}: the value may not contain control characters or backslashes");
            }

            if (LayoutKeys.Contains(key))
            {
                throw new UsageException($"--override {key}: dev sets this per node (use --brokers, --zones, --controllers, --dedicated-controllers, --base-port or --data instead)");
            }

            if (result.Any(kv => kv.Key == key))
            {
                throw new UsageException($"--override {key} is given twice");
            }

            result.Add(new(key, value));
        }

        return result;
    }
}
