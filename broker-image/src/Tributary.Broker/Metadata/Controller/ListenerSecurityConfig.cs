using Tributary.Broker.Topics;

namespace Tributary.Broker.Metadata.Controller;

/// <summary>
/// One per-broker dynamic listener security config: its type and validation
/// (<see cref="Definition"/>), Kafka's default (null when Kafka has none), and whether Kafka only
/// accepts it with a listener prefix (the keystore and truststore configs).
/// </summary>
public sealed record ListenerSecurityConfig(TopicConfigDefinition Definition, string? Default, bool RequiresListenerPrefix)
{
    /// <summary>Passwords, keys and JAAS configs: described without their value.</summary>
    public bool IsSensitive => Definition.Type == ConfigType.Password;
}
