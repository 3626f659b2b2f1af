using System.Collections;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Tributary.Operator.Validation;

namespace Tributary.Operator.Hosting;

/// <summary>
/// Operator settings, read from the environment variables the Helm chart sets
/// (charts/tributary-operator/templates/deployment.yaml).
/// </summary>
public sealed record OperatorOptions
{
    /// <summary>This instance's identity in the leader lease (POD_NAME).</summary>
    public string Identity { get; init; } = Environment.MachineName;

    /// <summary>Namespace of the lease (POD_NAMESPACE).</summary>
    public string Namespace { get; init; } = "default";

    public bool LeaderElection { get; init; } = true;

    public string LeaseName { get; init; } = "tributary-operator";

    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Namespaces to watch; empty watches all.</summary>
    public IReadOnlyList<string> WatchNamespaces { get; init; } = [];

    public string BrokerImageRepository { get; init; } = "ghcr.io/tributary/tributary";

    public string BrokerVersion { get; init; } = "0.1.0";

    public LogLevel LogLevel { get; init; } = LogLevel.Information;

    /// <summary>Port of /metrics; 0 picks a free port (tests).</summary>
    public int MetricsPort { get; init; } = 8080;

    /// <summary>Port of /healthz and /readyz; 0 picks a free port (tests).</summary>
    public int HealthPort { get; init; } = 8081;

    /// <summary>Listen on 127.0.0.1 only (tests) instead of every interface (in a pod).</summary>
    public bool LoopbackOnly { get; init; }

    public static OperatorOptions FromEnvironment() => FromVariables(Environment.GetEnvironmentVariables());

    /// <summary>Reads the TRIBUTARY_* variables; malformed values throw so a bad chart value fails fast.</summary>
    public static OperatorOptions FromVariables(IDictionary variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        string? Get(string name) => variables[name] is string s && s.Length > 0 ? s : null;
        var defaults = new OperatorOptions();
        return new OperatorOptions
        {
            Identity = Get("POD_NAME") ?? defaults.Identity,
            Namespace = Get("POD_NAMESPACE") ?? defaults.Namespace,
            LeaderElection = Get("TRIBUTARY_LEADER_ELECTION") is { } le ? ParseBool("TRIBUTARY_LEADER_ELECTION", le) : defaults.LeaderElection,
            LeaseName = Get("TRIBUTARY_LEASE_NAME") ?? defaults.LeaseName,
            LeaseDuration = Duration("TRIBUTARY_LEASE_DURATION", Get("TRIBUTARY_LEASE_DURATION"), defaults.LeaseDuration),
            RenewDeadline = Duration("TRIBUTARY_LEASE_RENEW_DEADLINE", Get("TRIBUTARY_LEASE_RENEW_DEADLINE"), defaults.RenewDeadline),
            RetryPeriod = Duration("TRIBUTARY_LEASE_RETRY_PERIOD", Get("TRIBUTARY_LEASE_RETRY_PERIOD"), defaults.RetryPeriod),
            WatchNamespaces = (Get("TRIBUTARY_WATCH_NAMESPACES") ?? "")
                .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToList(),
            BrokerImageRepository = Get("TRIBUTARY_BROKER_IMAGE_REPOSITORY") ?? defaults.BrokerImageRepository,
            BrokerVersion = Get("TRIBUTARY_BROKER_VERSION") ?? defaults.BrokerVersion,
            LogLevel = Get("TRIBUTARY_LOG_LEVEL") is { } level ? ParseLevel(level) : defaults.LogLevel,
            MetricsPort = Get("TRIBUTARY_METRICS_PORT") is { } mp ? ParsePort("TRIBUTARY_METRICS_PORT", mp) : defaults.MetricsPort,
            HealthPort = Get("TRIBUTARY_HEALTH_PORT") is { } hp ? ParsePort("TRIBUTARY_HEALTH_PORT", hp) : defaults.HealthPort,
        };
    }

    private static bool ParseBool(string name, string value) =>
        bool.TryParse(value, out var b) ? b : throw new FormatException($"{name}='{value}' is not true or false");

    private static TimeSpan Duration(string name, string? value, TimeSpan fallback) =>
        value is null ? fallback
        : DurationParser.TryParse(value, out var d) && d > TimeSpan.Zero ? d
        : throw new FormatException($"{name}='{value}' is not a positive duration such as 15s");

    private static int ParsePort(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 0 and <= 65535
            ? port
            : throw new FormatException($"{name}='{value}' is not a port number");

    private static LogLevel ParseLevel(string value) => value.ToLowerInvariant() switch
    {
        "trace" => LogLevel.Trace,
        "debug" => LogLevel.Debug,
        "info" or "information" => LogLevel.Information,
        "warn" or "warning" => LogLevel.Warning,
        "error" => LogLevel.Error,
        "critical" => LogLevel.Critical,
        _ => throw new FormatException($"TRIBUTARY_LOG_LEVEL='{value}' is not one of trace, debug, info, warn, error, critical"),
    };
}
