using Tributary.Broker.Coordination;
using Tributary.Broker.Network;
using Tributary.Broker.Requests;
using Tributary.Broker.Security;
using Tributary.Protocol;
using Tributary.Protocol.Acls;
using Tributary.Protocol.Messages;
using CoreHeartbeatRequest = Tributary.Broker.Groups.HeartbeatRequest;

namespace Tributary.Broker.Handlers.Groups;

/// <summary>Heartbeat v0-4: keeps a member's session alive; REBALANCE_IN_PROGRESS tells it to rejoin.</summary>
public sealed class HeartbeatHandler : RequestHandler<Tributary.Protocol.Messages.HeartbeatRequest, HeartbeatResponse>
{
    private readonly GroupCoordinatorService _groups;
    private readonly RequestAuthorizer _authorizer;

    public HeartbeatHandler(GroupCoordinatorService groups, RequestAuthorizer? authorizer = null)
        : base(ApiKey.Heartbeat, 0, 4)
    {
        ArgumentNullException.ThrowIfNull(groups);
        _groups = groups;
        _authorizer = authorizer ?? RequestAuthorizer.Disabled;
    }

    protected override async ValueTask<HeartbeatResponse?> HandleAsync(RequestContext context, RequestHeader header, Tributary.Protocol.Messages.HeartbeatRequest request, CancellationToken ct)
    {
        if (!_authorizer.AuthorizeGroup(context, AclOperation.Read, request.GroupId))
        {
            return new HeartbeatResponse { ErrorCode = (short)ErrorCode.GroupAuthorizationFailed };
        }

        var heartbeat = new CoreHeartbeatRequest(
            request.GroupId,
            request.GenerationId,
            request.MemberId,
            header.RequestApiVersion >= 3 ? request.GroupInstanceId : null);
        var error = await _groups.HeartbeatAsync(heartbeat, ct).ConfigureAwait(false);
        return new HeartbeatResponse { ErrorCode = (short)error };
    }
}
