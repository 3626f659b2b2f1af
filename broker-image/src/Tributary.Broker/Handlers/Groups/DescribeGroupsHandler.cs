using Tributary.Broker.Coordination;
using Tributary.Broker.Network;
using Tributary.Broker.Requests;
using Tributary.Broker.Security;
using Tributary.Protocol;
using Tributary.Protocol.Acls;
using Tributary.Protocol.Messages;

namespace Tributary.Broker.Handlers.Groups;

/// <summary>
/// DescribeGroups v0-5. An unknown group is described as "Dead" without error, as Kafka's classic
/// coordinator does; a group whose coordinator is elsewhere gets NOT_COORDINATOR with state "".
/// </summary>
public sealed class DescribeGroupsHandler : RequestHandler<DescribeGroupsRequest, DescribeGroupsResponse>
{
    /// <summary>
    /// With no authorizer every group operation is allowed: READ (3), DELETE (6) and DESCRIBE (8),
    /// as a bit field of Kafka's AclOperation codes (KIP-430).
    /// </summary>
    public const int AllGroupOperations = (1 << 3) | (1 << 6) | (1 << 8);

    private readonly GroupCoordinatorService _groups;
    private readonly RequestAuthorizer _authorizer;

    public DescribeGroupsHandler(GroupCoordinatorService groups, RequestAuthorizer? authorizer = null)
        : base(ApiKey.DescribeGroups, 0, 5)
    {
        ArgumentNullException.ThrowIfNull(groups);
        _groups = groups;
        _authorizer = authorizer ?? RequestAuthorizer.Disabled;
    }

    protected override async ValueTask<DescribeGroupsResponse?> HandleAsync(RequestContext context, RequestHeader header, DescribeGroupsRequest request, CancellationToken ct)
    {
        var includeOperations = header.RequestApiVersion >= 3 && request.IncludeAuthorizedOperations;
        var response = new DescribeGroupsResponse();
        foreach (var groupId in request.Groups)
        {
            if (!_authorizer.AuthorizeGroup(context, AclOperation.Describe, groupId))
            {
                response.Groups.Add(new DescribeGroupsResponse.DescribedGroup
                {
                    GroupId = groupId,
                    ErrorCode = (short)ErrorCode.GroupAuthorizationFailed,
                    GroupState = string.Empty,
                    ProtocolType = string.Empty,
                    ProtocolData = string.Empty,
                });
                continue;
            }

            var d = await _groups.DescribeGroupAsync(groupId, ct).ConfigureAwait(false);
            var described = new DescribeGroupsResponse.DescribedGroup { GroupId = groupId, ErrorCode = (short)d.Error };
            if (d.Error == ErrorCode.None)
            {
                described.GroupState = d.State.ToString();
                described.ProtocolType = d.ProtocolType;
                described.ProtocolData = d.Protocol;
                if (includeOperations)
                {
                    described.AuthorizedOperations = _authorizer.AuthorizedOperations(context, AclResourceType.Group, groupId);
                }

                foreach (var m in d.Members)
                {
                    described.Members.Add(new DescribeGroupsResponse.DescribedGroupMember
                    {
                        MemberId = m.MemberId,
                        GroupInstanceId = m.GroupInstanceId,
                        ClientId = m.ClientId,
                        ClientHost = m.ClientHost,
                        MemberMetadata = m.Metadata,
                        MemberAssignment = m.Assignment,
                    });
                }
            }

            response.Groups.Add(described);
        }

        return response;
    }
}
