using Tributary.Broker.Metadata.Controller;
using Tributary.Broker.Network;
using Tributary.Broker.Requests;
using Tributary.Protocol.Messages;

namespace Tributary.Broker.Handlers.Admin;

/// <summary>IncrementalAlterConfigs v0-1: SET, DELETE, and APPEND/SUBTRACT for list configs, per topic or broker resource.</summary>
public sealed class IncrementalAlterConfigsHandler : RequestHandler<IncrementalAlterConfigsRequest, IncrementalAlterConfigsResponse>
{
    private readonly IClusterController _controller;

    public IncrementalAlterConfigsHandler(IClusterController controller)
        : base(ApiKey.IncrementalAlterConfigs, 0, 1)
    {
        ArgumentNullException.ThrowIfNull(controller);
        _controller = controller;
    }

    protected override async ValueTask<IncrementalAlterConfigsResponse?> HandleAsync(RequestContext context, RequestHeader header, IncrementalAlterConfigsRequest request, CancellationToken ct)
    {
        var results = await _controller.IncrementalAlterConfigsAsync(request, ct).ConfigureAwait(false);
        return new IncrementalAlterConfigsResponse
        {
            Responses = [.. results.Select(r => new IncrementalAlterConfigsResponse.AlterConfigsResourceResponse
            {
                ResourceType = r.ResourceType,
                ResourceName = r.ResourceName,
                ErrorCode = (short)r.Error,
                ErrorMessage = r.Message,
            })],
        };
    }
}
