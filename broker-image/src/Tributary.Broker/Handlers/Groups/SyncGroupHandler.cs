using Tributary.Broker.Coordination;
using Tributary.Broker.Network;
using Tributary.Broker.Requests;
using Tributary.Broker.Security;
using Tributary.Protocol;
using Tributary.Protocol.Acls;
using Tributary.Protocol.Messages;
using CoreSyncGroupRequest = Tributary.Broker.Groups.SyncGroupRequest;

namespace Tributary.Broker.Handlers.Groups;

/// <summary>SyncGroup v0-5: followers' responses complete when the leader's assignment is stored.</summary>
public sealed class SyncGroupHandler : RequestHandler<Tributary.Protocol.Messages.SyncGroupRequest, SyncGroupResponse>
{
    private readonly GroupCoordinatorService _groups;
    private readonly RequestAuthorizer _authorizer;

    public SyncGroupHandler(GroupCoordinatorService groups, RequestAuthorizer? authorizer = null)
        : base(ApiKey.SyncGroup, 0, 5)
    {
        ArgumentNullException.ThrowIfNull(groups);
        _groups = groups;
        _authorizer = authorizer ?? RequestAuthorizer.Disabled;
    }

    protected override async ValueTask<SyncGroupResponse?> HandleAsync(RequestContext context, RequestHeader header, Tributary.Protocol.Messages.SyncGroupRequest request, CancellationToken ct)
    {
        if (!_authorizer.AuthorizeGroup(context, AclOperation.Read, request.GroupId))
        {
            return new SyncGroupResponse { ErrorCode = (short)ErrorCode.GroupAuthorizationFailed, Assignment = [] };
        }

        var version = header.RequestApiVersion;
        // A member listed twice: the last assignment wins, as in Kafka.
        var assignments = new Dictionary<string, byte[]>(request.Assignments.Count, StringComparer.Ordinal);
        foreach (var a in request.Assignments)
        {
            assignments[a.MemberId] = a.Assignment;
        }

        var sync = new CoreSyncGroupRequest(
            request.GroupId,
            request.GenerationId,
            request.MemberId,
            version >= 3 ? request.GroupInstanceId : null,
            version >= 5 ? request.ProtocolType : null,
            version >= 5 ? request.ProtocolName : null,
            assignments);
        var result = await _groups.SyncGroupAsync(sync, ct).ConfigureAwait(false);
        return new SyncGroupResponse
        {
            ErrorCode = (short)result.Error,
            ProtocolType = result.ProtocolType,
            ProtocolName = result.ProtocolName,
            Assignment = result.Assignment,
        };
    }
}
