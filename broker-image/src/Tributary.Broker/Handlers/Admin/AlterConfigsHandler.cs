using Tributary.Broker.Metadata.Controller;
using Tributary.Broker.Network;
using Tributary.Broker.Requests;
using Tributary.Broker.Security;
using Tributary.Protocol;
using Tributary.Protocol.Acls;
using Tributary.Protocol.Messages;

namespace Tributary.Broker.Handlers.Admin;

/// <summary>AlterConfigs v0-2: replaces all dynamic configs of each topic or broker resource (validateOnly supported).</summary>
public sealed class AlterConfigsHandler : RequestHandler<AlterConfigsRequest, AlterConfigsResponse>
{
    private readonly IClusterController _controller;
    private readonly RequestAuthorizer _authorizer;

    public AlterConfigsHandler(IClusterController controller, RequestAuthorizer? authorizer = null)
        : base(ApiKey.AlterConfigs, 0, 2)
    {
        ArgumentNullException.ThrowIfNull(controller);
        _controller = controller;
        _authorizer = authorizer ?? RequestAuthorizer.Disabled;
    }

    protected override async ValueTask<AlterConfigsResponse?> HandleAsync(RequestContext context, RequestHeader header, AlterConfigsRequest request, CancellationToken ct)
    {
        // Kafka: ALTER_CONFIGS on each resource (see ConfigResourceAuthorization); refused ones never reach the controller.
        var refused = request.Resources
            .Select(r => (Resource: r, Error: ConfigResourceAuthorization.Check(_authorizer, context, r.ResourceType, r.ResourceName, AclOperation.AlterConfigs)))
            .Where(x => x.Error != ErrorCode.None)
            .ToList();
        request.Resources = [.. request.Resources.Where(r => !refused.Any(x => ReferenceEquals(x.Resource, r)))];
        var results = await _controller.AlterConfigsAsync(request, ct).ConfigureAwait(false);
        results.AddRange(refused.Select(x => new ConfigChangeResult(x.Resource.ResourceType, x.Resource.ResourceName, x.Error, ConfigResourceAuthorization.Message(x.Error))));
        return new AlterConfigsResponse
        {
            Responses = [.. results.Select(r => new AlterConfigsResponse.AlterConfigsResourceResponse
            {
                ResourceType = r.ResourceType,
                ResourceName = r.ResourceName,
                ErrorCode = (short)r.Error,
                ErrorMessage = r.Message,
            })],
        };
    }
}
