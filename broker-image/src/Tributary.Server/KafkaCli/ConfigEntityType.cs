namespace Tributary.Server.KafkaCli;

/// <summary>The <c>kafka-configs --entity-type</c> values this tool handles.</summary>
public enum ConfigEntityType
{
    Topics,
    Brokers,
    BrokerLoggers,
}
