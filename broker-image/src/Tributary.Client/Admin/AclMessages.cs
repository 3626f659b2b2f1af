using Tributary.Protocol.Acls;
using Tributary.Protocol.Messages;

namespace Tributary.Client.Admin;

/// <summary>
/// Conversions between the ACL admin types and the CreateAcls/DescribeAcls/DeleteAcls messages,
/// and the lowest version that can express them (v0 knows only literal patterns).
/// </summary>
internal static class AclMessages
{
    /// <summary>CreateAcls v0 has no pattern type field (literal only).</summary>
    public static short MinCreateVersion(IEnumerable<AclBinding> bindings) =>
        bindings.All(b => b.Pattern.PatternType == AclPatternType.Literal) ? (short)0 : (short)1;

    /// <summary>DescribeAcls/DeleteAcls v0 filters match literal patterns only, so anything else needs v1.</summary>
    public static short MinFilterVersion(IEnumerable<AclBindingFilter> filters) =>
        filters.All(f => f.PatternFilter.PatternType == AclPatternType.Literal) ? (short)0 : (short)1;

    public static CreateAclsRequest.AclCreation ToCreation(AclBinding binding) => new()
    {
        ResourceType = (sbyte)binding.Pattern.Type,
        ResourceName = binding.Pattern.Name,
        ResourcePatternType = (sbyte)binding.Pattern.PatternType,
        Principal = binding.Entry.Principal,
        Host = binding.Entry.Host,
        Operation = (sbyte)binding.Entry.Operation,
        PermissionType = (sbyte)binding.Entry.PermissionType,
    };

    public static DescribeAclsRequest ToDescribe(AclBindingFilter filter) => new()
    {
        ResourceTypeFilter = (sbyte)filter.PatternFilter.Type,
        ResourceNameFilter = filter.PatternFilter.Name,
        PatternTypeFilter = (sbyte)filter.PatternFilter.PatternType,
        PrincipalFilter = filter.EntryFilter.Principal,
        HostFilter = filter.EntryFilter.Host,
        Operation = (sbyte)filter.EntryFilter.Operation,
        PermissionType = (sbyte)filter.EntryFilter.PermissionType,
    };

    public static DeleteAclsRequest.DeleteAclsFilter ToDelete(AclBindingFilter filter) => new()
    {
        ResourceTypeFilter = (sbyte)filter.PatternFilter.Type,
        ResourceNameFilter = filter.PatternFilter.Name,
        PatternTypeFilter = (sbyte)filter.PatternFilter.PatternType,
        PrincipalFilter = filter.EntryFilter.Principal,
        HostFilter = filter.EntryFilter.Host,
        Operation = (sbyte)filter.EntryFilter.Operation,
        PermissionType = (sbyte)filter.EntryFilter.PermissionType,
    };

    /// <summary>v0 responses carry no pattern type: their patterns are literal.</summary>
    public static IReadOnlyList<AclBinding> FromDescribe(DescribeAclsResponse response, short version) =>
        response.Resources.SelectMany(r => r.Acls.Select(a => new AclBinding(
            new ResourcePattern((AclResourceType)r.ResourceType, r.ResourceName, version >= 1 ? (AclPatternType)r.PatternType : AclPatternType.Literal),
            new AccessControlEntry(a.Principal, a.Host, (AclOperation)a.Operation, (AclPermissionType)a.PermissionType)))).ToList();

    public static DeleteAclsResult FromDelete(DeleteAclsResponse.DeleteAclsFilterResult result, short version) => new(
        AdminResult.From(result.ErrorCode, result.ErrorMessage),
        result.MatchingAcls.Select(m => new DeletedAcl(
            new AclBinding(
                new ResourcePattern((AclResourceType)m.ResourceType, m.ResourceName, version >= 1 ? (AclPatternType)m.PatternType : AclPatternType.Literal),
                new AccessControlEntry(m.Principal, m.Host, (AclOperation)m.Operation, (AclPermissionType)m.PermissionType)),
            AdminResult.From(m.ErrorCode, m.ErrorMessage))).ToList());
}
