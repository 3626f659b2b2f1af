using System.Net;
using Tributary.Protocol.Acls;

namespace Tributary.Broker.Security;

/// <summary>
/// The ACLs of one resource type, indexed for per-request checks: literal bindings by name (the
/// wildcard "*" among them) and prefixed bindings by prefix, with the distinct prefix lengths so a
/// name is matched against each candidate prefix by span, without allocating.
/// </summary>
internal sealed class AclResourceIndex
{
    private readonly Dictionary<string, AclRule[]>.AlternateLookup<ReadOnlySpan<char>> _prefixed;
    private readonly Dictionary<string, AclRule[]> _literal;
    private readonly AclRule[]? _wildcard;
    private readonly int[] _prefixLengths;

    public AclResourceIndex(IEnumerable<AclEntry> acls)
    {
        var literal = new Dictionary<string, List<AclRule>>(StringComparer.Ordinal);
        var prefixed = new Dictionary<string, List<AclRule>>(StringComparer.Ordinal);
        foreach (var acl in acls)
        {
            var target = acl.PatternType == AclPatternType.Prefixed ? prefixed : literal;
            if (!target.TryGetValue(acl.ResourceName, out var list))
            {
                target[acl.ResourceName] = list = [];
            }

            list.Add(new AclRule(acl));
        }

        _literal = literal.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal);
        _wildcard = _literal.GetValueOrDefault(AclNames.Wildcard);
        _prefixed = prefixed.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
        _prefixLengths = [.. prefixed.Keys.Select(k => k.Length).Distinct().Order()];
    }

    /// <summary>Kafka's StandardAuthorizer rule: any matching DENY wins; else a matching ALLOW; else denied if the resource has ACLs at all.</summary>
    public AclDecision Decide(string name, string principal, IPAddress? host, AclOperation operation)
    {
        var hasAcls = false;
        var allowed = false;
        if (_literal.TryGetValue(name, out var exact) && Scan(exact, principal, host, operation, ref hasAcls, ref allowed))
        {
            return AclDecision.Denied;
        }

        if (_wildcard is not null && name != AclNames.Wildcard && Scan(_wildcard, principal, host, operation, ref hasAcls, ref allowed))
        {
            return AclDecision.Denied;
        }

        foreach (var length in _prefixLengths)
        {
            if (length > name.Length)
            {
                break;
            }

            if (_prefixed.TryGetValue(name.AsSpan(0, length), out var rules) && Scan(rules, principal, host, operation, ref hasAcls, ref allowed))
            {
                return AclDecision.Denied;
            }
        }

        return allowed ? AclDecision.Allowed : hasAcls ? AclDecision.Denied : AclDecision.NoAcls;
    }

    /// <summary>Visits every binding of this type (for authorizeByResourceType).</summary>
    public IEnumerable<AclRule> All => _literal.Values.Concat(_prefixed.Dictionary.Values).SelectMany(r => r);

    /// <summary>True when a DENY applies; records whether any ACL exists and whether an ALLOW applied.</summary>
    private static bool Scan(AclRule[] rules, string principal, IPAddress? host, AclOperation operation, ref bool hasAcls, ref bool allowed)
    {
        hasAcls |= rules.Length > 0;
        foreach (var rule in rules)
        {
            switch (rule.Evaluate(principal, host, operation))
            {
                case AclPermissionType.Deny:
                    return true;
                case AclPermissionType.Allow:
                    allowed = true;
                    break;
                default:
                    break;
            }
        }

        return false;
    }
}
