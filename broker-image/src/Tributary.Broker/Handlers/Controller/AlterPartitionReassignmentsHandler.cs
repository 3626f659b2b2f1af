using Tributary.Broker.Metadata.Controller;
using Tributary.Broker.Network;
using Tributary.Broker.Requests;
using Tributary.Protocol.Messages;

namespace Tributary.Broker.Handlers.Controller;

/// <summary>AlterPartitionReassignments v0 (KIP-455): start, change or cancel (null replicas) partition reassignments on the active controller.</summary>
public sealed class AlterPartitionReassignmentsHandler : RequestHandler<AlterPartitionReassignmentsRequest, AlterPartitionReassignmentsResponse>
{
    private readonly IActiveController _controller;

    public AlterPartitionReassignmentsHandler(IActiveController controller)
        : base(ApiKey.AlterPartitionReassignments, 0, 0)
    {
        ArgumentNullException.ThrowIfNull(controller);
        _controller = controller;
    }

    protected override async ValueTask<AlterPartitionReassignmentsResponse?> HandleAsync(RequestContext context, RequestHeader header, AlterPartitionReassignmentsRequest request, CancellationToken ct) =>
        await _controller.AlterPartitionReassignmentsAsync(request, ct).ConfigureAwait(false);
}
