using Tributary.Broker.Coordination;
using Tributary.Broker.Network;
using Tributary.Broker.Requests;
using Tributary.Protocol.Messages;

namespace Tributary.Broker.Handlers.Groups;

/// <summary>
/// DeleteGroups v0-2: removes empty groups and their offsets (NON_EMPTY_GROUP while members
/// remain, GROUP_ID_NOT_FOUND for unknown groups, NOT_COORDINATOR when led elsewhere).
/// </summary>
public sealed class DeleteGroupsHandler : RequestHandler<DeleteGroupsRequest, DeleteGroupsResponse>
{
    private readonly GroupCoordinatorService _groups;

    public DeleteGroupsHandler(GroupCoordinatorService groups)
        : base(ApiKey.DeleteGroups, 0, 2)
    {
        ArgumentNullException.ThrowIfNull(groups);
        _groups = groups;
    }

    protected override async ValueTask<DeleteGroupsResponse?> HandleAsync(RequestContext context, RequestHeader header, DeleteGroupsRequest request, CancellationToken ct)
    {
        var results = await _groups.DeleteGroupsAsync(request.GroupsNames, ct).ConfigureAwait(false);
        var response = new DeleteGroupsResponse();
        foreach (var r in results)
        {
            response.Results.Add(new DeleteGroupsResponse.DeletableGroupResult { GroupId = r.GroupId, ErrorCode = (short)r.Error });
        }

        return response;
    }
}
