using Tributary.Broker.Metadata.Controller;
using Tributary.Broker.Network;
using Tributary.Broker.Requests;
using Tributary.Protocol.Messages;

namespace Tributary.Broker.Handlers.Admin;

/// <summary>AlterConfigs v0-2: replaces all dynamic configs of each topic or broker resource (validateOnly supported).</summary>
public sealed class AlterConfigsHandler : RequestHandler<AlterConfigsRequest, AlterConfigsResponse>
{
    private readonly IClusterController _controller;

    public AlterConfigsHandler(IClusterController controller)
        : base(ApiKey.AlterConfigs, 0, 2)
    {
        ArgumentNullException.ThrowIfNull(controller);
        _controller = controller;
    }

    protected override async ValueTask<AlterConfigsResponse?> HandleAsync(RequestContext context, RequestHeader header, AlterConfigsRequest request, CancellationToken ct)
    {
        var results = await _controller.AlterConfigsAsync(request, ct).ConfigureAwait(false);
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
