using Tributary.Broker.Coordination;
using Tributary.Broker.Network;
using Tributary.Broker.Requests;
using Tributary.Protocol.Messages;
using CoreHeartbeatRequest = Tributary.Broker.Groups.HeartbeatRequest;

namespace Tributary.Broker.Handlers.Groups;

/// <summary>Heartbeat v0-4: keeps a member's session alive; REBALANCE_IN_PROGRESS tells it to rejoin.</summary>
public sealed class HeartbeatHandler : RequestHandler<Tributary.Protocol.Messages.HeartbeatRequest, HeartbeatResponse>
{
    private readonly GroupCoordinatorService _groups;

    public HeartbeatHandler(GroupCoordinatorService groups)
        : base(ApiKey.Heartbeat, 0, 4)
    {
        ArgumentNullException.ThrowIfNull(groups);
        _groups = groups;
    }

    protected override async ValueTask<HeartbeatResponse?> HandleAsync(RequestContext context, RequestHeader header, Tributary.Protocol.Messages.HeartbeatRequest request, CancellationToken ct)
    {
        var heartbeat = new CoreHeartbeatRequest(
            request.GroupId,
            request.GenerationId,
            request.MemberId,
            header.RequestApiVersion >= 3 ? request.GroupInstanceId : null);
        var error = await _groups.HeartbeatAsync(heartbeat, ct).ConfigureAwait(false);
        return new HeartbeatResponse { ErrorCode = (short)error };
    }
}
