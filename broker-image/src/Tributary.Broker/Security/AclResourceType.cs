namespace Tributary.Broker.Security;

/// <summary>Kafka's ResourceType codes as they travel in ACL requests and AccessControlEntryRecord.</summary>
public enum AclResourceType : sbyte
{
    Unknown = 0,
    Any = 1,
    Topic = 2,
    Group = 3,
    Cluster = 4,
    TransactionalId = 5,
    DelegationToken = 6,
    User = 7,
}
