using Tributary.Broker.Metadata.Controller;
using Tributary.Broker.Network;
using Tributary.Broker.Requests;
using Tributary.Protocol.Messages;

namespace Tributary.Broker.Handlers.Controller;

/// <summary>AlterPartition v0-3 from partition leaders: ISR changes checked and committed by the active controller (topic names before v2, ids from v2, ISR member epochs from v3).</summary>
public sealed class AlterPartitionHandler : RequestHandler<AlterPartitionRequest, AlterPartitionResponse>
{
    private readonly IActiveController _controller;

    public AlterPartitionHandler(IActiveController controller)
        : base(ApiKey.AlterPartition, 0, 3)
    {
        ArgumentNullException.ThrowIfNull(controller);
        _controller = controller;
    }

    protected override async ValueTask<AlterPartitionResponse?> HandleAsync(RequestContext context, RequestHeader header, AlterPartitionRequest request, CancellationToken ct) =>
        await _controller.AlterPartitionAsync(request, header.RequestApiVersion, ct).ConfigureAwait(false);
}
