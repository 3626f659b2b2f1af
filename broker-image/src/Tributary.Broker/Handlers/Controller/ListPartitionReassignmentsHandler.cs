using Tributary.Broker.Metadata.Controller;
using Tributary.Broker.Network;
using Tributary.Broker.Requests;
using Tributary.Protocol.Messages;

namespace Tributary.Broker.Handlers.Controller;

/// <summary>ListPartitionReassignments v0: the ongoing reassignments of the named partitions, or of all (null topics).</summary>
public sealed class ListPartitionReassignmentsHandler : RequestHandler<ListPartitionReassignmentsRequest, ListPartitionReassignmentsResponse>
{
    private readonly IActiveController _controller;

    public ListPartitionReassignmentsHandler(IActiveController controller)
        : base(ApiKey.ListPartitionReassignments, 0, 0)
    {
        ArgumentNullException.ThrowIfNull(controller);
        _controller = controller;
    }

    protected override async ValueTask<ListPartitionReassignmentsResponse?> HandleAsync(RequestContext context, RequestHeader header, ListPartitionReassignmentsRequest request, CancellationToken ct) =>
        await _controller.ListPartitionReassignmentsAsync(request, ct).ConfigureAwait(false);
}
