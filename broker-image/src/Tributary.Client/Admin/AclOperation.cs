namespace Tributary.Client.Admin;

/// <summary>ACL operations as Kafka numbers them (org.apache.kafka.common.acl.AclOperation).</summary>
public enum AclOperation : sbyte
{
    Unknown = 0,

    /// <summary>Filters only: matches every operation.</summary>
    Any = 1,

    /// <summary>Every operation on the resource.</summary>
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
