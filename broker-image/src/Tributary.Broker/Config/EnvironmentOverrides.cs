namespace Tributary.Broker.Config;

/// <summary>
/// Maps environment variables onto configuration keys, following the convention of the Apache
/// Kafka and Confluent container images:
/// <list type="bullet">
/// <item><c>KAFKA_LOG_RETENTION_HOURS=24</c> sets <c>log.retention.hours</c>: strip the prefix, lower-case,
/// then <c>___</c> becomes <c>-</c>, <c>__</c> becomes <c>_</c> and <c>_</c> becomes <c>.</c>.
/// Launcher variables such as <c>KAFKA_HEAP_OPTS</c> are not configuration and are skipped.</item>
/// <item><c>TRIBUTARY_METRICS_LISTENER=:9404</c> sets <c>tributary.metrics.listener</c>, and only for
/// keys Tributary defines, so unrelated <c>TRIBUTARY_*</c> variables (build settings) are ignored.</item>
/// </list>
/// Precedence, lowest to highest: file, <c>KAFKA_*</c>, <c>TRIBUTARY_*</c>, command-line overrides.
/// </summary>
public static class EnvironmentOverrides
{
    private static readonly HashSet<string> LauncherVariables = new(StringComparer.Ordinal)
    {
        "KAFKA_HEAP_OPTS", "KAFKA_OPTS", "KAFKA_JVM_PERFORMANCE_OPTS", "KAFKA_LOG4J_OPTS", "KAFKA_JMX_OPTS",
        "KAFKA_GC_LOG_OPTS", "KAFKA_DEBUG", "KAFKA_HOME", "KAFKA_VERSION", "KAFKA_LOG4J_LOGGERS",
        "KAFKA_LOG4J_ROOT_LOGLEVEL", "KAFKA_TOOLS_LOG4J_LOGLEVEL", "KAFKA_LOG_DIR",
    };

    /// <summary>Returns <paramref name="fileValues"/> with the environment's overrides applied (a new map).</summary>
    public static Dictionary<string, string> Apply(
        IReadOnlyDictionary<string, string> fileValues,
        IReadOnlyDictionary<string, string> environment,
        IReadOnlySet<string> tributaryKeys)
    {
        var merged = new Dictionary<string, string>(fileValues, StringComparer.Ordinal);
        foreach (var (name, value) in environment.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (name.StartsWith("KAFKA_", StringComparison.Ordinal) && !LauncherVariables.Contains(name))
            {
                merged[ToKey(name["KAFKA_".Length..])] = value;
            }
        }

        foreach (var (name, value) in environment)
        {
            if (name.StartsWith("TRIBUTARY_", StringComparison.Ordinal))
            {
                string key = "tributary." + ToKey(name["TRIBUTARY_".Length..]);
                if (tributaryKeys.Contains(key))
                {
                    merged[key] = value;
                }
            }
        }

        return merged;
    }

    /// <summary><c>LOG_RETENTION_HOURS</c> to <c>log.retention.hours</c> (see the class remarks for <c>__</c>/<c>___</c>).</summary>
    public static string ToKey(string variableSuffix) =>
        variableSuffix.ToLowerInvariant()
            .Replace("___", "\u0001", StringComparison.Ordinal)
            .Replace("__", "\u0002", StringComparison.Ordinal)
            .Replace('_', '.')
            .Replace('\u0001', '-')
            .Replace('\u0002', '_');
}
