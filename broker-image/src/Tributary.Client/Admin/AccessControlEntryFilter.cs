using Tributary.Protocol.Acls;

namespace Tributary.Client.Admin;

/// <summary>Selects access control entries: null principal or host match any; Any operation or permission type match all.</summary>
public sealed record AccessControlEntryFilter(string? Principal, string? Host, AclOperation Operation, AclPermissionType PermissionType)
{
    /// <summary>Matches every entry.</summary>
    public static AccessControlEntryFilter Any { get; } = new(null, null, AclOperation.Any, AclPermissionType.Any);
}
