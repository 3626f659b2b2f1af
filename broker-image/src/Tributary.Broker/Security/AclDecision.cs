namespace Tributary.Broker.Security;

/// <summary>What the ACLs of a resource say about one action.</summary>
public enum AclDecision
{
    /// <summary>No ACL applies to the resource at all: the authorizer's default decides (allow.everyone.if.no.acl.found).</summary>
    NoAcls,

    /// <summary>An ALLOW ACL matched and no DENY did.</summary>
    Allowed,

    /// <summary>A DENY ACL matched, or the resource has ACLs but none allows the action.</summary>
    Denied,
}
