using System.Collections.Immutable;
using System.Net;
using Tributary.Protocol.Acls;

namespace Tributary.Broker.Security;

/// <summary>
/// The cluster's ACLs as the metadata log defines them (AccessControlEntryRecord by id), immutable,
/// with an index per resource type built once per change so an authorization check is a few
/// dictionary lookups. Part of <see cref="Metadata.MetadataImage"/>.
/// </summary>
public sealed class AclImage
{
    private const int TypeSlots = (int)AclResourceType.User + 1;

    private readonly AclResourceIndex?[] _byType = new AclResourceIndex?[TypeSlots];
    private readonly HashSet<AclEntry> _entries;

    public AclImage(ImmutableDictionary<Guid, AclEntry> byId)
    {
        ArgumentNullException.ThrowIfNull(byId);
        ById = byId;
        _entries = [.. byId.Values];
        foreach (var group in byId.Values.GroupBy(a => a.ResourceType))
        {
            if ((int)group.Key is > 0 and < TypeSlots)
            {
                _byType[(int)group.Key] = new AclResourceIndex(group);
            }
        }

        HasHostRules = byId.Values.Any(a => a.Host != AclNames.Wildcard);
    }

    public static AclImage Empty { get; } = new(ImmutableDictionary<Guid, AclEntry>.Empty);

    /// <summary>Every ACL by its id.</summary>
    public ImmutableDictionary<Guid, AclEntry> ById { get; }

    public int Count => ById.Count;

    /// <summary>Whether any ACL names a host (otherwise a check never needs the client's address).</summary>
    public bool HasHostRules { get; }

    /// <summary>Whether an equal binding exists (under any id).</summary>
    public bool Contains(AclEntry acl) => _entries.Contains(acl);

    /// <summary>The ACLs a filter matches, ordered by resource type, name and pattern type.</summary>
    public IEnumerable<KeyValuePair<Guid, AclEntry>> Matching(AclFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return ById.Where(kv => filter.Matches(kv.Value))
            .OrderBy(kv => kv.Value.ResourceType)
            .ThenBy(kv => kv.Value.ResourceName, StringComparer.Ordinal)
            .ThenBy(kv => kv.Value.PatternType)
            .ThenBy(kv => kv.Value.Principal, StringComparer.Ordinal)
            .ThenBy(kv => kv.Value.Operation);
    }

    /// <summary>What the ACLs on resource <paramref name="name"/> of <paramref name="type"/> say about the action.</summary>
    public AclDecision Decide(AclResourceType type, string name, string principal, IPAddress? host, AclOperation operation)
    {
        ArgumentNullException.ThrowIfNull(name);
        var index = (int)type is > 0 and < TypeSlots ? _byType[(int)type] : null;
        return index is null ? AclDecision.NoAcls : index.Decide(name, principal, host, operation);
    }

    /// <summary>The ACLs of one resource type (for per-type checks).</summary>
    internal IEnumerable<AclRule> RulesOf(AclResourceType type)
    {
        var index = (int)type is > 0 and < TypeSlots ? _byType[(int)type] : null;
        return index?.All ?? [];
    }
}
