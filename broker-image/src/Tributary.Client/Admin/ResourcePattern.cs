using Tributary.Protocol.Acls;

namespace Tributary.Client.Admin;

/// <summary>The resource an ACL applies to: a type, a name (or "*") and how the name matches (literal or prefixed).</summary>
public sealed record ResourcePattern(AclResourceType Type, string Name, AclPatternType PatternType = AclPatternType.Literal)
{
    /// <summary>The resource name Kafka gives the cluster resource.</summary>
    public const string ClusterName = "kafka-cluster";

    /// <summary>The name that, as a literal, stands for every resource of a type.</summary>
    public const string Wildcard = "*";

    /// <summary>True when the pattern can be stored as an ACL (no Any/Match/Unknown parts).</summary>
    public bool IsConcrete =>
        Type is not (AclResourceType.Any or AclResourceType.Unknown)
        && PatternType is AclPatternType.Literal or AclPatternType.Prefixed
        && Name is not null;

    /// <summary>A filter matching exactly this pattern.</summary>
    public ResourcePatternFilter ToFilter() => new(Type, Name, PatternType);
}
