using Tributary.Protocol.Acls;

namespace Tributary.Client.Admin;

/// <summary>Who (principal such as "User:alice", and host or "*") may or may not do which operation.</summary>
public sealed record AccessControlEntry(string Principal, string Host, AclOperation Operation, AclPermissionType PermissionType)
{
    /// <summary>True when the entry can be stored as an ACL (no Any/Unknown parts).</summary>
    public bool IsConcrete =>
        Principal is not null && Host is not null
        && Operation is not (AclOperation.Any or AclOperation.Unknown)
        && PermissionType is AclPermissionType.Allow or AclPermissionType.Deny;

    /// <summary>A filter matching exactly this entry.</summary>
    public AccessControlEntryFilter ToFilter() => new(Principal, Host, Operation, PermissionType);
}
