namespace Tributary.Client.Admin;

/// <summary>Config resource types as Kafka numbers them.</summary>
public enum ConfigResourceType : sbyte
{
    Unknown = 0,
    Topic = 2,
    Broker = 4,
    BrokerLogger = 8,
}
