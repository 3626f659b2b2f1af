namespace Tributary.Client.Admin;

/// <summary>DeleteAcls' answer for one filter: the filter's own outcome and the ACLs it matched.</summary>
public sealed record DeleteAclsResult(AdminResult Result, IReadOnlyList<DeletedAcl> Deleted);
