using System.Text;
using Tributary.Client.Admin;

namespace Tributary.Server.KafkaCli;

/// <summary>
/// Kafka 3.9's <c>kafka-configs --describe</c> text: a header per entity, then one line per config
/// (sorted by name): <c>  name=value sensitive=false synonyms={SOURCE:name=value, ...}</c>.
/// Without --all only the entity's own dynamic configs are shown.
/// </summary>
public static class ConfigDescribeFormatter
{
    public static string Format(ConfigEntityType type, string entityName, IReadOnlyList<ConfigEntry> entries, bool all)
    {
        ArgumentNullException.ThrowIfNull(entityName);
        ArgumentNullException.ThrowIfNull(entries);
        var sb = new StringBuilder();
        var isDefault = type == ConfigEntityType.Brokers && entityName.Length == 0;
        if (isDefault)
        {
            sb.Append(all ? "All" : "Default").Append(" configs for brokers in the cluster are:\n");
        }
        else
        {
            sb.Append(all ? "All" : "Dynamic").Append(" configs for ").Append(Singular(type)).Append(' ').Append(entityName).Append(" are:\n");
        }

        var own = type switch
        {
            ConfigEntityType.Topics => ConfigSource.DynamicTopicConfig,
            ConfigEntityType.BrokerLoggers => ConfigSource.DynamicBrokerLoggerConfig,
            _ => isDefault ? ConfigSource.DynamicDefaultBrokerConfig : ConfigSource.DynamicBrokerConfig,
        };
        foreach (var entry in entries.Where(e => all || e.Source == own).OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            sb.Append("  ").Append(entry.Name).Append('=').Append(entry.IsSensitive ? "null" : entry.Value ?? "null")
                .Append(" sensitive=").Append(entry.IsSensitive ? "true" : "false")
                .Append(" synonyms={")
                .AppendJoin(", ", entry.Synonyms.Select(s => $"{SourceName(s.Source)}:{s.Name}={(entry.IsSensitive ? "null" : s.Value ?? "null")}"))
                .Append("}\n");
        }

        return sb.ToString();
    }

    public static string Singular(ConfigEntityType type) => type switch
    {
        ConfigEntityType.Topics => "topic",
        ConfigEntityType.Brokers => "broker",
        _ => "broker-logger",
    };

    /// <summary>Kafka's ConfigEntry.ConfigSource names.</summary>
    public static string SourceName(ConfigSource source) => source switch
    {
        ConfigSource.DynamicTopicConfig => "DYNAMIC_TOPIC_CONFIG",
        ConfigSource.DynamicBrokerConfig => "DYNAMIC_BROKER_CONFIG",
        ConfigSource.DynamicDefaultBrokerConfig => "DYNAMIC_DEFAULT_BROKER_CONFIG",
        ConfigSource.StaticBrokerConfig => "STATIC_BROKER_CONFIG",
        ConfigSource.DefaultConfig => "DEFAULT_CONFIG",
        ConfigSource.DynamicBrokerLoggerConfig => "DYNAMIC_BROKER_LOGGER_CONFIG",
        ConfigSource.ClientMetricsConfig => "CLIENT_METRICS_CONFIG",
        ConfigSource.GroupConfig => "GROUP_CONFIG",
        _ => "UNKNOWN",
    };
}
