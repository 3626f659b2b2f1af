using Tributary.Broker.Coordination;
using Tributary.Broker.Network;
using Tributary.Broker.Requests;
using Tributary.Broker.Security;
using Tributary.Protocol;
using Tributary.Protocol.Acls;
using Tributary.Protocol.Messages;

namespace Tributary.Broker.Handlers.Groups;

/// <summary>
/// DeleteGroups v0-2: removes empty groups and their offsets (NON_EMPTY_GROUP while members
/// remain, GROUP_ID_NOT_FOUND for unknown groups, NOT_COORDINATOR when led elsewhere).
/// </summary>
public sealed class DeleteGroupsHandler : RequestHandler<DeleteGroupsRequest, DeleteGroupsResponse>
{
    private readonly GroupCoordinatorService _groups;
    private readonly RequestAuthorizer _authorizer;

    public DeleteGroupsHandler(GroupCoordinatorService groups, RequestAuthorizer? authorizer = null)
        : base(ApiKey.DeleteGroups, 0, 2)
    {
        ArgumentNullException.ThrowIfNull(groups);
        _groups = groups;
        _authorizer = authorizer ?? RequestAuthorizer.Disabled;
    }

    protected override async ValueTask<DeleteGroupsResponse?> HandleAsync(RequestContext context, RequestHeader header, DeleteGroupsRequest request, CancellationToken ct)
    {
        // Kafka: DELETE on each group; the others are answered GROUP_AUTHORIZATION_FAILED without reaching the coordinator.
        var allowed = request.GroupsNames.Where(g => _authorizer.AuthorizeGroup(context, AclOperation.Delete, g)).ToList();
        var results = await _groups.DeleteGroupsAsync(allowed, ct).ConfigureAwait(false);
        var response = new DeleteGroupsResponse();
        foreach (var denied in request.GroupsNames.Except(allowed, StringComparer.Ordinal))
        {
            response.Results.Add(new DeleteGroupsResponse.DeletableGroupResult { GroupId = denied, ErrorCode = (short)ErrorCode.GroupAuthorizationFailed });
        }

        foreach (var r in results)
        {
            response.Results.Add(new DeleteGroupsResponse.DeletableGroupResult { GroupId = r.GroupId, ErrorCode = (short)r.Error });
        }

        return response;
    }
}
