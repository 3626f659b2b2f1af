using System.Net;
using Tributary.Protocol.Acls;

namespace Tributary.Broker.Security;

/// <summary>
/// An ACL prepared for evaluation: the host parsed once, so a check compares addresses without
/// formatting the client's address per request.
/// </summary>
internal sealed class AclRule
{
    private readonly IPAddress? _address;

    public AclRule(AclEntry acl)
    {
        Acl = acl;
        AnyHost = acl.Host == AclNames.Wildcard;
        AnyPrincipal = acl.Principal == AclNames.WildcardPrincipal;
        _address = !AnyHost && IPAddress.TryParse(acl.Host, out var address) ? address : null;
    }

    public AclEntry Acl { get; }

    public bool AnyHost { get; }

    private bool AnyPrincipal { get; }

    /// <summary>
    /// The ACL's permission when it applies to the principal, host and operation, else null. As in
    /// Kafka, an ALLOW of READ, WRITE, DELETE or ALTER implies DESCRIBE and an ALLOW of ALTER_CONFIGS
    /// implies DESCRIBE_CONFIGS; a DENY applies only to its own operation (or ALL).
    /// </summary>
    public AclPermissionType? Evaluate(string principal, IPAddress? host, AclOperation operation)
    {
        if (!AnyPrincipal && !string.Equals(Acl.Principal, principal, StringComparison.Ordinal))
        {
            return null;
        }

        if (!AnyHost && (_address is null || host is null || !_address.Equals(host)))
        {
            return null;
        }

        return Implies(Acl.Operation, Acl.Permission, operation) ? Acl.Permission : null;
    }

    private static bool Implies(AclOperation granted, AclPermissionType permission, AclOperation requested)
    {
        if (granted == AclOperation.All || granted == requested)
        {
            return true;
        }

        if (permission != AclPermissionType.Allow)
        {
            return false;
        }

        return requested switch
        {
            AclOperation.Describe => granted is AclOperation.Read or AclOperation.Write or AclOperation.Delete or AclOperation.Alter,
            AclOperation.DescribeConfigs => granted == AclOperation.AlterConfigs,
            _ => false,
        };
    }
}
