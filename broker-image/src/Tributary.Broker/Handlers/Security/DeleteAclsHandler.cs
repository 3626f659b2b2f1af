using Tributary.Broker.Metadata.Controller;
using Tributary.Broker.Network;
using Tributary.Broker.Requests;
using Tributary.Broker.Security;
using Tributary.Protocol;
using Tributary.Protocol.Acls;
using Tributary.Protocol.Messages;

namespace Tributary.Broker.Handlers.Security;

/// <summary>
/// DeleteAcls v0-3 through the controller, as Kafka's AclApis: ALTER on the cluster is required
/// (CLUSTER_AUTHORIZATION_FAILED per filter); without an authorizer every filter fails with
/// SECURITY_DISABLED; otherwise each filter's matching ACLs are removed and listed.
/// </summary>
public sealed class DeleteAclsHandler : RequestHandler<DeleteAclsRequest, DeleteAclsResponse>
{
    private readonly IClusterController _controller;
    private readonly RequestAuthorizer _authorizer;

    public DeleteAclsHandler(IClusterController controller, RequestAuthorizer authorizer)
        : base(ApiKey.DeleteAcls, 0, 3)
    {
        ArgumentNullException.ThrowIfNull(controller);
        ArgumentNullException.ThrowIfNull(authorizer);
        _controller = controller;
        _authorizer = authorizer;
    }

    protected override async ValueTask<DeleteAclsResponse?> HandleAsync(RequestContext context, RequestHeader header, DeleteAclsRequest request, CancellationToken ct)
    {
        if (AclApiErrors.Refusal(_authorizer, context, AclOperation.Alter, AclApiErrors.NoAuthorizer) is { } refusal)
        {
            return Error(request, refusal.Error, refusal.Message);
        }

        return await _controller.DeleteAclsAsync(request, ct).ConfigureAwait(false);
    }

    private static DeleteAclsResponse Error(DeleteAclsRequest request, ErrorCode error, string message) => new()
    {
        FilterResults = [.. request.Filters.Select(_ => new DeleteAclsResponse.DeleteAclsFilterResult { ErrorCode = (short)error, ErrorMessage = message })],
    };
}
