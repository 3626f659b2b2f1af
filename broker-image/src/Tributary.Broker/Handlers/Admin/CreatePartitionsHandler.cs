using Tributary.Broker.Metadata.Controller;
using Tributary.Broker.Network;
using Tributary.Broker.Requests;
using Tributary.Protocol.Messages;

namespace Tributary.Broker.Handlers.Admin;

/// <summary>CreatePartitions v0-3: grows topics (never shrinks: INVALID_PARTITIONS), optional assignments, validateOnly.</summary>
public sealed class CreatePartitionsHandler : RequestHandler<CreatePartitionsRequest, CreatePartitionsResponse>
{
    private readonly IClusterController _controller;

    public CreatePartitionsHandler(IClusterController controller)
        : base(ApiKey.CreatePartitions, 0, 3)
    {
        ArgumentNullException.ThrowIfNull(controller);
        _controller = controller;
    }

    protected override async ValueTask<CreatePartitionsResponse?> HandleAsync(RequestContext context, RequestHeader header, CreatePartitionsRequest request, CancellationToken ct) =>
        await _controller.CreatePartitionsAsync(request, ct).ConfigureAwait(false);
}
