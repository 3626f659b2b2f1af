using Tributary.Broker.Metadata.Controller;
using Tributary.Broker.Network;
using Tributary.Broker.Requests;
using Tributary.Protocol.Messages;

namespace Tributary.Broker.Handlers.Admin;

/// <summary>
/// CreateTopics v0-7 through the controller: validateOnly, configs, -1 partitions/replication
/// factor for the broker defaults (v4+), manual assignments; v5+ results carry the partition
/// count, replication factor and every config of the topic, v7+ its id. Creation is committed
/// before the response, so timeoutMs never expires.
/// </summary>
public sealed class CreateTopicsHandler : RequestHandler<CreateTopicsRequest, CreateTopicsResponse>
{
    private readonly IClusterController _controller;

    public CreateTopicsHandler(IClusterController controller)
        : base(ApiKey.CreateTopics, 0, 7)
    {
        ArgumentNullException.ThrowIfNull(controller);
        _controller = controller;
    }

    protected override async ValueTask<CreateTopicsResponse?> HandleAsync(RequestContext context, RequestHeader header, CreateTopicsRequest request, CancellationToken ct) =>
        await _controller.CreateTopicsAsync(request, ct).ConfigureAwait(false);
}
