namespace Tributary.Broker.Security;

/// <summary>Kafka's AclPermissionType codes. ANY exists only in filters.</summary>
public enum AclPermissionType : sbyte
{
    Unknown = 0,
    Any = 1,
    Deny = 2,
    Allow = 3,
}
