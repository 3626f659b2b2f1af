using System.Collections.Frozen;
using System.Net;
using Tributary.Protocol.Acls;

namespace Tributary.Broker.Security;

/// <summary>
/// Kafka's StandardAuthorizer decision rules, pure: a principal connected from a host asks to
/// perform an operation on a resource; <c>super.users</c> may do anything; otherwise the ACLs of
/// the resource decide (a matching DENY wins over any ALLOW), and a resource without any ACL is
/// open only with <c>allow.everyone.if.no.acl.found</c>.
/// </summary>
public sealed class Authorizer
{
    /// <summary>authorizer.class.name of KRaft's authorizer.</summary>
    public const string StandardAuthorizerClass = "org.apache.kafka.metadata.authorizer.StandardAuthorizer";

    /// <summary>authorizer.class.name of the ZooKeeper-era authorizer; it enforces the same ACLs here.</summary>
    public const string AclAuthorizerClass = "kafka.security.authorizer.AclAuthorizer";

    /// <summary>The resource name Kafka checks first in authorizeByResourceType, so super users and defaults apply.</summary>
    private const string ProbeResourceName = "hardcode";

    private static readonly AclOperation[] TopicOperations =
        [AclOperation.Read, AclOperation.Write, AclOperation.Create, AclOperation.Describe, AclOperation.Delete, AclOperation.Alter, AclOperation.DescribeConfigs, AclOperation.AlterConfigs];

    private static readonly AclOperation[] GroupOperations = [AclOperation.Read, AclOperation.Describe, AclOperation.Delete];

    private static readonly AclOperation[] ClusterOperations =
        [AclOperation.Create, AclOperation.ClusterAction, AclOperation.DescribeConfigs, AclOperation.AlterConfigs, AclOperation.IdempotentWrite, AclOperation.Alter, AclOperation.Describe];

    private static readonly AclOperation[] TransactionalIdOperations = [AclOperation.Describe, AclOperation.Write];

    private static readonly AclOperation[] DelegationTokenOperations = [AclOperation.Describe];

    private static readonly AclOperation[] UserOperations = [AclOperation.CreateTokens, AclOperation.DescribeTokens];

    private readonly FrozenSet<string> _superUsers;

    public Authorizer(IEnumerable<string> superUsers, bool allowEveryoneIfNoAclFound)
    {
        ArgumentNullException.ThrowIfNull(superUsers);
        _superUsers = superUsers.ToFrozenSet(StringComparer.Ordinal);
        AllowEveryoneIfNoAclFound = allowEveryoneIfNoAclFound;
    }

    public bool AllowEveryoneIfNoAclFound { get; }

    public IReadOnlySet<string> SuperUsers => _superUsers;

    /// <summary>Whether <paramref name="authorizerClassName"/> names an authorizer Tributary implements.</summary>
    public static bool IsSupported(string authorizerClassName) =>
        authorizerClassName is StandardAuthorizerClass or AclAuthorizerClass;

    /// <summary>Kafka's supported operations of a resource type (what authorized-operations bit fields cover).</summary>
    public static IReadOnlyList<AclOperation> SupportedOperations(AclResourceType type) => type switch
    {
        AclResourceType.Topic => TopicOperations,
        AclResourceType.Group => GroupOperations,
        AclResourceType.Cluster => ClusterOperations,
        AclResourceType.TransactionalId => TransactionalIdOperations,
        AclResourceType.DelegationToken => DelegationTokenOperations,
        AclResourceType.User => UserOperations,
        _ => [],
    };

    /// <summary>A bit field with bit <c>op</c> set for every supported operation in <paramref name="allowed"/> (Kafka's to32BitField).</summary>
    public static int ToBitField(IEnumerable<AclOperation> allowed)
    {
        ArgumentNullException.ThrowIfNull(allowed);
        var field = 0;
        foreach (var op in allowed)
        {
            field |= 1 << (int)op;
        }

        return field;
    }

    public bool IsSuperUser(string principal) => _superUsers.Count > 0 && _superUsers.Contains(principal);

    /// <summary>Whether <paramref name="principal"/> from <paramref name="host"/> may perform <paramref name="operation"/> on the resource.</summary>
    public bool Authorize(AclImage acls, string principal, IPAddress? host, AclOperation operation, AclResourceType type, string name)
    {
        ArgumentNullException.ThrowIfNull(acls);
        if (IsSuperUser(principal))
        {
            return true;
        }

        return acls.Decide(type, name, principal, host, operation) switch
        {
            AclDecision.Allowed => true,
            AclDecision.NoAcls => AllowEveryoneIfNoAclFound,
            _ => false,
        };
    }

    /// <summary>The supported operations of the resource that are allowed, as a bit field.</summary>
    public int AuthorizedOperations(AclImage acls, string principal, IPAddress? host, AclResourceType type, string name) =>
        ToBitField(SupportedOperations(type).Where(op => Authorize(acls, principal, host, op, type, name)));

    /// <summary>
    /// Kafka's authorizeByResourceType (KIP-679): may the principal perform the operation on at least
    /// one resource of the type? Allowed when a probe resource is allowed (super users, open
    /// defaults), else when some ALLOW binding (exact operation or ALL) is not shadowed by a DENY:
    /// a wildcard DENY shadows everything, a literal DENY its own name, a prefixed DENY every name
    /// and prefix it starts.
    /// </summary>
    public bool AuthorizeByResourceType(AclImage acls, string principal, IPAddress? host, AclOperation operation, AclResourceType type)
    {
        ArgumentNullException.ThrowIfNull(acls);
        if (Authorize(acls, principal, host, operation, type, ProbeResourceName))
        {
            return true;
        }

        var deniedLiteral = new HashSet<string>(StringComparer.Ordinal);
        var deniedPrefixes = new HashSet<string>(StringComparer.Ordinal);
        var allowed = new List<AclEntry>();
        foreach (var rule in acls.RulesOf(type))
        {
            var acl = rule.Acl;
            var applies = (acl.Principal == principal || acl.Principal == AclNames.WildcardPrincipal)
                && (acl.Operation == operation || acl.Operation == AclOperation.All)
                && (rule.AnyHost || (host is not null && IPAddress.TryParse(acl.Host, out var address) && address.Equals(host)));
            if (!applies)
            {
                continue;
            }

            var wildcard = acl.PatternType == AclPatternType.Literal && acl.ResourceName == AclNames.Wildcard;
            if (acl.Permission == AclPermissionType.Deny)
            {
                if (wildcard)
                {
                    return false;
                }

                (acl.PatternType == AclPatternType.Prefixed ? deniedPrefixes : deniedLiteral).Add(acl.ResourceName);
            }
            else if (acl.Permission == AclPermissionType.Allow)
            {
                if (wildcard)
                {
                    return true;
                }

                allowed.Add(acl);
            }
        }

        foreach (var acl in allowed)
        {
            if (acl.PatternType == AclPatternType.Literal && deniedLiteral.Contains(acl.ResourceName))
            {
                continue;
            }

            var shadowed = false;
            for (var length = 1; length <= acl.ResourceName.Length && !shadowed; length++)
            {
                shadowed = deniedPrefixes.Contains(acl.ResourceName[..length]);
            }

            if (!shadowed)
            {
                return true;
            }
        }

        return false;
    }
}
