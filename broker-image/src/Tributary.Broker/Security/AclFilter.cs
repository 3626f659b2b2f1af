using Tributary.Protocol.Acls;

namespace Tributary.Broker.Security;

/// <summary>
/// A DescribeAcls/DeleteAcls filter (Kafka's AclBindingFilter). A null name, principal or host and
/// ANY codes match everything. Pattern type MATCH with a name matches every binding that would apply
/// to a resource of that name: the literal name, the literal wildcard "*" and prefixes of the name.
/// </summary>
public sealed record AclFilter(
    AclResourceType ResourceType,
    string? ResourceName,
    AclPatternType PatternType,
    string? Principal,
    string? Host,
    AclOperation Operation,
    AclPermissionType Permission)
{
    /// <summary>Matches every ACL.</summary>
    public static AclFilter Any { get; } = new(AclResourceType.Any, null, AclPatternType.Any, null, null, AclOperation.Any, AclPermissionType.Any);

    /// <summary>Why Kafka's controller refuses the filter (its exact messages), or null when it is usable.</summary>
    public string? Problem =>
        ResourceType == AclResourceType.Unknown || PatternType == AclPatternType.Unknown ? "Unknown patternFilter."
        : Operation == AclOperation.Unknown || Permission == AclPermissionType.Unknown ? "Unknown entryFilter."
        : null;

    public bool Matches(AclEntry acl)
    {
        ArgumentNullException.ThrowIfNull(acl);
        return MatchesPattern(acl) && MatchesEntry(acl);
    }

    private bool MatchesPattern(AclEntry acl)
    {
        if (ResourceType != AclResourceType.Any && ResourceType != acl.ResourceType)
        {
            return false;
        }

        if (PatternType is not (AclPatternType.Any or AclPatternType.Match) && PatternType != acl.PatternType)
        {
            return false;
        }

        if (ResourceName is null)
        {
            return true;
        }

        if (PatternType == AclPatternType.Any || PatternType == acl.PatternType)
        {
            return ResourceName == acl.ResourceName;
        }

        // MATCH: the bindings that apply to a resource called ResourceName.
        return acl.PatternType switch
        {
            AclPatternType.Literal => ResourceName == acl.ResourceName || acl.ResourceName == AclNames.Wildcard,
            AclPatternType.Prefixed => ResourceName.StartsWith(acl.ResourceName, StringComparison.Ordinal),
            _ => false,
        };
    }

    private bool MatchesEntry(AclEntry acl) =>
        (Principal is null || Principal == acl.Principal)
        && (Host is null || Host == acl.Host)
        && (Operation == AclOperation.Any || Operation == acl.Operation)
        && (Permission == AclPermissionType.Any || Permission == acl.Permission);
}
