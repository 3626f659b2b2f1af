namespace Tributary.Protocol.Acls;

/// <summary>
/// Kafka's PatternType codes (org.apache.kafka.common.resource.PatternType), how an ACL's resource
/// name is matched, as they travel in CreateAcls/DescribeAcls/DeleteAcls and AccessControlEntryRecord.
/// Bindings are LITERAL or PREFIXED; ANY and MATCH exist only in filters.
/// </summary>
public enum AclPatternType : sbyte
{
    Unknown = 0,

    /// <summary>Filters only: any pattern type with exactly the given name.</summary>
    Any = 1,

    /// <summary>Filters only: every pattern that would apply to the given name (literal, wildcard and prefixes).</summary>
    Match = 2,

    /// <summary>The name as given; "*" is the wildcard for all resources of the type.</summary>
    Literal = 3,

    /// <summary>Every resource whose name starts with the given name.</summary>
    Prefixed = 4,
}
