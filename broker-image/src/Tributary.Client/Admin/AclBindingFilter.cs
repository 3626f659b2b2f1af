namespace Tributary.Client.Admin;

/// <summary>Selects ACLs by resource pattern and entry (DescribeAcls, DeleteAcls).</summary>
public sealed record AclBindingFilter(ResourcePatternFilter PatternFilter, AccessControlEntryFilter EntryFilter)
{
    /// <summary>Matches every ACL.</summary>
    public static AclBindingFilter Any { get; } = new(ResourcePatternFilter.Any, AccessControlEntryFilter.Any);
}
