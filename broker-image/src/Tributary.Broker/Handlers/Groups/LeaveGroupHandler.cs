using Tributary.Broker.Coordination;
using Tributary.Broker.Network;
using Tributary.Broker.Requests;
using Tributary.Broker.Security;
using Tributary.Protocol;
using Tributary.Protocol.Acls;
using Tributary.Protocol.Messages;
using CoreMemberIdentity = Tributary.Broker.Groups.MemberIdentity;

namespace Tributary.Broker.Handlers.Groups;

/// <summary>
/// LeaveGroup v0-5. v0-2 name one member and report a single error (the member's, when the
/// group-level one is NONE, as Kafka's response does); v3+ batch members (KIP-345).
/// </summary>
public sealed class LeaveGroupHandler : RequestHandler<LeaveGroupRequest, LeaveGroupResponse>
{
    private readonly GroupCoordinatorService _groups;
    private readonly RequestAuthorizer _authorizer;

    public LeaveGroupHandler(GroupCoordinatorService groups, RequestAuthorizer? authorizer = null)
        : base(ApiKey.LeaveGroup, 0, 5)
    {
        ArgumentNullException.ThrowIfNull(groups);
        _groups = groups;
        _authorizer = authorizer ?? RequestAuthorizer.Disabled;
    }

    protected override async ValueTask<LeaveGroupResponse?> HandleAsync(RequestContext context, RequestHeader header, LeaveGroupRequest request, CancellationToken ct)
    {
        if (!_authorizer.AuthorizeGroup(context, AclOperation.Read, request.GroupId))
        {
            return new LeaveGroupResponse { ErrorCode = (short)ErrorCode.GroupAuthorizationFailed };
        }

        var version = header.RequestApiVersion;
        List<CoreMemberIdentity> members = version >= 3
            ? request.Members.Select(m => new CoreMemberIdentity(m.MemberId, m.GroupInstanceId)).ToList()
            : [new CoreMemberIdentity(request.MemberId, null)];
        var result = await _groups.LeaveGroupAsync(request.GroupId, members, ct).ConfigureAwait(false);

        var response = new LeaveGroupResponse { ErrorCode = (short)result.Error };
        if (version >= 3)
        {
            foreach (var m in result.Members)
            {
                response.Members.Add(new LeaveGroupResponse.MemberResponse
                {
                    MemberId = m.MemberId,
                    GroupInstanceId = m.GroupInstanceId,
                    ErrorCode = (short)m.Error,
                });
            }
        }
        else if (result.Error == ErrorCode.None)
        {
            var memberError = result.Members.Select(m => m.Error).FirstOrDefault(e => e != ErrorCode.None);
            response.ErrorCode = (short)memberError;
        }

        return response;
    }
}
