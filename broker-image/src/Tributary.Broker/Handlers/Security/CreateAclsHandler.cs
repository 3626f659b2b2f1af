using Tributary.Broker.Metadata.Controller;
using Tributary.Broker.Network;
using Tributary.Broker.Requests;
using Tributary.Broker.Security;
using Tributary.Protocol;
using Tributary.Protocol.Acls;
using Tributary.Protocol.Messages;

namespace Tributary.Broker.Handlers.Security;

/// <summary>
/// CreateAcls v0-3 through the controller, as Kafka's AclApis: ALTER on the cluster is required
/// (CLUSTER_AUTHORIZATION_FAILED per creation); without an authorizer every creation fails with
/// SECURITY_DISABLED; otherwise the controller validates and commits (see <see cref="AclChanges"/>).
/// </summary>
public sealed class CreateAclsHandler : RequestHandler<CreateAclsRequest, CreateAclsResponse>
{
    private readonly IClusterController _controller;
    private readonly RequestAuthorizer _authorizer;

    public CreateAclsHandler(IClusterController controller, RequestAuthorizer authorizer)
        : base(ApiKey.CreateAcls, 0, 3)
    {
        ArgumentNullException.ThrowIfNull(controller);
        ArgumentNullException.ThrowIfNull(authorizer);
        _controller = controller;
        _authorizer = authorizer;
    }

    protected override async ValueTask<CreateAclsResponse?> HandleAsync(RequestContext context, RequestHeader header, CreateAclsRequest request, CancellationToken ct)
    {
        if (AclApiErrors.Refusal(_authorizer, context, AclOperation.Alter, AclApiErrors.NoAuthorizer) is { } refusal)
        {
            return Error(request, refusal.Error, refusal.Message);
        }

        return await _controller.CreateAclsAsync(request, ct).ConfigureAwait(false);
    }

    private static CreateAclsResponse Error(CreateAclsRequest request, ErrorCode error, string message) => new()
    {
        Results = [.. request.Creations.Select(_ => new CreateAclsResponse.AclCreationResult { ErrorCode = (short)error, ErrorMessage = message })],
    };
}
