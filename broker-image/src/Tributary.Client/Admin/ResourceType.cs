namespace Tributary.Client.Admin;

/// <summary>ACL resource types as Kafka numbers them (org.apache.kafka.common.resource.ResourceType).</summary>
public enum ResourceType : sbyte
{
    Unknown = 0,

    /// <summary>Filters only: matches every resource type.</summary>
    Any = 1,
    Topic = 2,
    Group = 3,
    Cluster = 4,
    TransactionalId = 5,
    DelegationToken = 6,
    User = 7,
}
