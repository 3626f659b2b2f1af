namespace Tributary.Client.Admin;

/// <summary>How an ACL's resource name is matched, as Kafka numbers them (org.apache.kafka.common.resource.PatternType).</summary>
public enum PatternType : sbyte
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
