namespace Tributary.Protocol.Acls;

/// <summary>
/// Kafka's ResourceType codes (org.apache.kafka.common.resource.ResourceType) as they travel in
/// CreateAcls/DescribeAcls/DeleteAcls and AccessControlEntryRecord. Config resources
/// (DescribeConfigs/AlterConfigs) number their types differently.
/// </summary>
public enum AclResourceType : sbyte
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
