namespace Tributary.Client.Admin;

/// <summary>Whether an ACL grants or refuses, as Kafka numbers them (org.apache.kafka.common.acl.AclPermissionType).</summary>
public enum AclPermissionType : sbyte
{
    Unknown = 0,

    /// <summary>Filters only: matches allow and deny.</summary>
    Any = 1,
    Deny = 2,
    Allow = 3,
}
