namespace Tributary.Protocol.Acls;

/// <summary>
/// Kafka's AclOperation codes (org.apache.kafka.common.acl.AclOperation) as they travel in
/// CreateAcls/DescribeAcls/DeleteAcls and AccessControlEntryRecord. Shared by broker and client
/// so both sides agree on the numbers.
/// </summary>
public enum AclOperation : sbyte
{
    Unknown = 0,

    /// <summary>Filters only: matches every operation.</summary>
    Any = 1,

    /// <summary>In a binding, grants or denies every operation on the resource.</summary>
    All = 2,
    Read = 3,
    Write = 4,
    Create = 5,
    Delete = 6,
    Alter = 7,
    Describe = 8,
    ClusterAction = 9,
    DescribeConfigs = 10,
    AlterConfigs = 11,
    IdempotentWrite = 12,
    CreateTokens = 13,
    DescribeTokens = 14,
}
