using Tributary.Broker.Coordination;
using Tributary.Broker.Groups;
using Tributary.Broker.Network;
using Tributary.Broker.Requests;
using Tributary.Broker.Security;
using Tributary.Protocol;
using Tributary.Protocol.Acls;
using Tributary.Protocol.Messages;
using CoreJoinGroupRequest = Tributary.Broker.Groups.JoinGroupRequest;

namespace Tributary.Broker.Handlers.Groups;

/// <summary>
/// JoinGroup v0-9. The response usually completes later, when the rebalance's join phase ends
/// (all members rejoined, or the rebalance timeout passed).
/// </summary>
public sealed class JoinGroupHandler : RequestHandler<Tributary.Protocol.Messages.JoinGroupRequest, JoinGroupResponse>
{
    private readonly GroupCoordinatorService _groups;
    private readonly RequestAuthorizer _authorizer;

    public JoinGroupHandler(GroupCoordinatorService groups, RequestAuthorizer? authorizer = null)
        : base(ApiKey.JoinGroup, 0, 9)
    {
        ArgumentNullException.ThrowIfNull(groups);
        _groups = groups;
        _authorizer = authorizer ?? RequestAuthorizer.Disabled;
    }

    protected override async ValueTask<JoinGroupResponse?> HandleAsync(RequestContext context, RequestHeader header, Tributary.Protocol.Messages.JoinGroupRequest request, CancellationToken ct)
    {
        if (!_authorizer.AuthorizeGroup(context, AclOperation.Read, request.GroupId))
        {
            return new JoinGroupResponse
            {
                ErrorCode = (short)ErrorCode.GroupAuthorizationFailed,
                GenerationId = -1,
                ProtocolName = header.RequestApiVersion >= 7 ? null : string.Empty,
                Leader = string.Empty,
                MemberId = string.Empty,
            };
        }

        var version = header.RequestApiVersion;
        var protocols = new List<GroupProtocol>(request.Protocols.Count);
        foreach (var p in request.Protocols)
        {
            protocols.Add(new GroupProtocol(p.Name, p.Metadata));
        }

        var join = new CoreJoinGroupRequest(
            request.GroupId,
            request.SessionTimeoutMs,
            // v0 has no rebalance timeout: the session timeout bounds the rebalance too.
            version == 0 ? request.SessionTimeoutMs : request.RebalanceTimeoutMs,
            request.MemberId,
            version >= 5 ? request.GroupInstanceId : null,
            request.ProtocolType,
            protocols,
            header.ClientId ?? string.Empty,
            ClientAddress.Of(context),
            // KIP-394: v4+ clients handle MEMBER_ID_REQUIRED and rejoin with the id they are given.
            RequireKnownMemberId: version >= 4);
        var result = await _groups.JoinGroupAsync(join, ct).ConfigureAwait(false);

        var response = new JoinGroupResponse
        {
            ErrorCode = (short)result.Error,
            GenerationId = result.GenerationId,
            ProtocolType = result.ProtocolType,
            // Nullable only from v7; older versions write "" for "no protocol".
            ProtocolName = version >= 7 ? result.ProtocolName : result.ProtocolName ?? string.Empty,
            Leader = result.LeaderId,
            MemberId = result.MemberId,
        };
        foreach (var m in result.Members)
        {
            response.Members.Add(new JoinGroupResponse.JoinGroupResponseMember
            {
                MemberId = m.MemberId,
                GroupInstanceId = m.GroupInstanceId,
                Metadata = m.Metadata,
            });
        }

        return response;
    }
}
