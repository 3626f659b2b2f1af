namespace Tributary.Broker.Security;

/// <summary>Kafka's PatternType codes. Bindings are LITERAL or PREFIXED; ANY and MATCH exist only in filters.</summary>
public enum AclPatternType : sbyte
{
    Unknown = 0,
    Any = 1,
    Match = 2,
    Literal = 3,
    Prefixed = 4,
}
