using Tributary.Protocol.Messages;

namespace Tributary.Broker.Security;

/// <summary>Conversions between the ACL API messages and <see cref="AclEntry"/> / <see cref="AclFilter"/>.</summary>
public static class AclMessages
{
    public static AclEntry EntryOf(CreateAclsRequest.AclCreation creation)
    {
        ArgumentNullException.ThrowIfNull(creation);
        return new AclEntry(AclNames.ResourceType(creation.ResourceType), creation.ResourceName, AclNames.PatternType(creation.ResourcePatternType),
            creation.Principal, creation.Host, AclNames.Operation(creation.Operation), AclNames.Permission(creation.PermissionType));
    }

    public static AclFilter FilterOf(DescribeAclsRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new AclFilter(AclNames.ResourceType(request.ResourceTypeFilter), request.ResourceNameFilter, AclNames.PatternType(request.PatternTypeFilter),
            request.PrincipalFilter, request.HostFilter, AclNames.Operation(request.Operation), AclNames.Permission(request.PermissionType));
    }

    public static AclFilter FilterOf(DeleteAclsRequest.DeleteAclsFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return new AclFilter(AclNames.ResourceType(filter.ResourceTypeFilter), filter.ResourceNameFilter, AclNames.PatternType(filter.PatternTypeFilter),
            filter.PrincipalFilter, filter.HostFilter, AclNames.Operation(filter.Operation), AclNames.Permission(filter.PermissionType));
    }

    /// <summary>DescribeAcls' grouping: one resource entry per (type, name, pattern type) with its ACLs.</summary>
    public static List<DescribeAclsResponse.DescribeAclsResource> Resources(IEnumerable<AclEntry> acls)
    {
        ArgumentNullException.ThrowIfNull(acls);
        return [.. acls
            .GroupBy(a => (a.ResourceType, a.ResourceName, a.PatternType))
            .Select(g => new DescribeAclsResponse.DescribeAclsResource
            {
                ResourceType = (sbyte)g.Key.ResourceType,
                ResourceName = g.Key.ResourceName,
                PatternType = (sbyte)g.Key.PatternType,
                Acls = [.. g.Select(a => new DescribeAclsResponse.AclDescription
                {
                    Principal = a.Principal,
                    Host = a.Host,
                    Operation = (sbyte)a.Operation,
                    PermissionType = (sbyte)a.Permission,
                })],
            })];
    }

    public static DeleteAclsResponse.DeleteAclsMatchingAcl MatchingAcl(AclEntry acl)
    {
        ArgumentNullException.ThrowIfNull(acl);
        return new DeleteAclsResponse.DeleteAclsMatchingAcl
        {
            ErrorMessage = null,
            ResourceType = (sbyte)acl.ResourceType,
            ResourceName = acl.ResourceName,
            PatternType = (sbyte)acl.PatternType,
            Principal = acl.Principal,
            Host = acl.Host,
            Operation = (sbyte)acl.Operation,
            PermissionType = (sbyte)acl.Permission,
        };
    }
}
