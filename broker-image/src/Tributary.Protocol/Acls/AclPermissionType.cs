namespace Tributary.Protocol.Acls;

/// <summary>
/// Kafka's AclPermissionType codes (org.apache.kafka.common.acl.AclPermissionType), whether an ACL
/// grants or refuses, as they travel in CreateAcls/DescribeAcls/DeleteAcls and AccessControlEntryRecord.
/// </summary>
public enum AclPermissionType : sbyte
{
    Unknown = 0,

    /// <summary>Filters only: matches allow and deny.</summary>
    Any = 1,
    Deny = 2,
    Allow = 3,
}
