namespace Tributary.Broker.Topics;

/// <summary>Kafka's config resource types (ConfigResource.Type) as they appear on the wire.</summary>
public enum ConfigResourceType : sbyte
{
    Unknown = 0,
    Topic = 2,
    Broker = 4,
    BrokerLogger = 8,
}
