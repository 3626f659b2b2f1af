using Tributary.Broker.Coordination;
using Tributary.Broker.Groups;
using Tributary.Broker.Network;
using Tributary.Broker.Requests;
using Tributary.Broker.Security;
using Tributary.Protocol.Acls;
using Tributary.Protocol.Messages;

namespace Tributary.Broker.Handlers.Groups;

/// <summary>
/// ListGroups v0-5: the groups of every coordinator partition loaded on this broker. v4 filters by
/// state (names compared case-insensitively, unknown names match nothing), v5 by type: every group
/// here is a "classic" group.
/// </summary>
public sealed class ListGroupsHandler : RequestHandler<ListGroupsRequest, ListGroupsResponse>
{
    /// <summary>The type name Kafka reports for classic-protocol groups.</summary>
    public const string ClassicGroupType = "classic";

    private readonly GroupCoordinatorService _groups;
    private readonly RequestAuthorizer _authorizer;

    public ListGroupsHandler(GroupCoordinatorService groups, RequestAuthorizer? authorizer = null)
        : base(ApiKey.ListGroups, 0, 5)
    {
        ArgumentNullException.ThrowIfNull(groups);
        _groups = groups;
        _authorizer = authorizer ?? RequestAuthorizer.Disabled;
    }

    protected override async ValueTask<ListGroupsResponse?> HandleAsync(RequestContext context, RequestHeader header, ListGroupsRequest request, CancellationToken ct)
    {
        var version = header.RequestApiVersion;
        var response = new ListGroupsResponse();

        List<GroupState>? states = null;
        if (version >= 4 && request.StatesFilter.Count > 0)
        {
            states = ParseStates(request.StatesFilter);
            if (states.Count == 0)
            {
                return response;
            }
        }

        if (version >= 5 && request.TypesFilter.Count > 0
            && !request.TypesFilter.Any(t => string.Equals(t, ClassicGroupType, StringComparison.OrdinalIgnoreCase)))
        {
            return response;
        }

        var result = await _groups.ListGroupsAsync(states, ct).ConfigureAwait(false);
        response.ErrorCode = (short)result.Error;

        // Kafka: DESCRIBE on the cluster lists every group, else only the groups the client may DESCRIBE.
        var all = _authorizer.AuthorizeCluster(context, AclOperation.Describe);
        foreach (var g in result.Groups.Where(g => all || _authorizer.AuthorizeGroup(context, AclOperation.Describe, g.GroupId)))
        {
            response.Groups.Add(new ListGroupsResponse.ListedGroup
            {
                GroupId = g.GroupId,
                ProtocolType = g.ProtocolType,
                GroupState = g.State.ToString(),
                GroupType = ClassicGroupType,
            });
        }

        return response;
    }

    private static List<GroupState> ParseStates(IEnumerable<string> names)
    {
        var states = new List<GroupState>();
        foreach (var name in names)
        {
            foreach (var state in Enum.GetValues<GroupState>())
            {
                if (string.Equals(name, state.ToString(), StringComparison.OrdinalIgnoreCase) && !states.Contains(state))
                {
                    states.Add(state);
                }
            }
        }

        return states;
    }
}
