using Tributary.Protocol.Acls;

namespace Tributary.Broker.Security;

/// <summary>
/// Kafka's fixed ACL names and the wire codes as Kafka spells them in messages ("TOPIC", "PREFIXED",
/// "CLUSTER_ACTION"). Codes Kafka does not know read as UNKNOWN, as its <c>fromCode</c> methods do.
/// </summary>
public static class AclNames
{
    /// <summary>The only valid name of the CLUSTER resource.</summary>
    public const string ClusterResource = "kafka-cluster";

    /// <summary>A literal resource name or host that matches every name or host.</summary>
    public const string Wildcard = "*";

    /// <summary>The principal that matches every user.</summary>
    public const string WildcardPrincipal = "User:*";

    /// <summary>The principal of an unauthenticated (PLAINTEXT) connection.</summary>
    public const string Anonymous = "User:ANONYMOUS";

    public static AclResourceType ResourceType(sbyte code) =>
        code is >= 0 and <= (sbyte)AclResourceType.User ? (AclResourceType)code : AclResourceType.Unknown;

    public static AclPatternType PatternType(sbyte code) =>
        code is >= 0 and <= (sbyte)AclPatternType.Prefixed ? (AclPatternType)code : AclPatternType.Unknown;

    public static AclOperation Operation(sbyte code) =>
        code is >= 0 and <= (sbyte)AclOperation.DescribeTokens ? (AclOperation)code : AclOperation.Unknown;

    public static AclPermissionType Permission(sbyte code) =>
        code is >= 0 and <= (sbyte)AclPermissionType.Allow ? (AclPermissionType)code : AclPermissionType.Unknown;

    public static string Of(AclResourceType value) => value switch
    {
        AclResourceType.Any => "ANY",
        AclResourceType.Topic => "TOPIC",
        AclResourceType.Group => "GROUP",
        AclResourceType.Cluster => "CLUSTER",
        AclResourceType.TransactionalId => "TRANSACTIONAL_ID",
        AclResourceType.DelegationToken => "DELEGATION_TOKEN",
        AclResourceType.User => "USER",
        _ => "UNKNOWN",
    };

    public static string Of(AclPatternType value) => value switch
    {
        AclPatternType.Any => "ANY",
        AclPatternType.Match => "MATCH",
        AclPatternType.Literal => "LITERAL",
        AclPatternType.Prefixed => "PREFIXED",
        _ => "UNKNOWN",
    };

    public static string Of(AclOperation value) => value switch
    {
        AclOperation.Any => "ANY",
        AclOperation.All => "ALL",
        AclOperation.Read => "READ",
        AclOperation.Write => "WRITE",
        AclOperation.Create => "CREATE",
        AclOperation.Delete => "DELETE",
        AclOperation.Alter => "ALTER",
        AclOperation.Describe => "DESCRIBE",
        AclOperation.ClusterAction => "CLUSTER_ACTION",
        AclOperation.DescribeConfigs => "DESCRIBE_CONFIGS",
        AclOperation.AlterConfigs => "ALTER_CONFIGS",
        AclOperation.IdempotentWrite => "IDEMPOTENT_WRITE",
        AclOperation.CreateTokens => "CREATE_TOKENS",
        AclOperation.DescribeTokens => "DESCRIBE_TOKENS",
        _ => "UNKNOWN",
    };

    public static string Of(AclPermissionType value) => value switch
    {
        AclPermissionType.Any => "ANY",
        AclPermissionType.Deny => "DENY",
        AclPermissionType.Allow => "ALLOW",
        _ => "UNKNOWN",
    };
}
