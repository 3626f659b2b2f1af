using Tributary.Broker.Metadata.Controller;
using Tributary.Broker.Network;
using Tributary.Broker.Requests;
using Tributary.Protocol.Messages;

namespace Tributary.Broker.Handlers.Controller;

/// <summary>ElectLeaders v0-2: preferred (v0+) and unclean (v1+) elections on the active controller; a null topic list means every partition.</summary>
public sealed class ElectLeadersHandler : RequestHandler<ElectLeadersRequest, ElectLeadersResponse>
{
    private readonly IActiveController _controller;

    public ElectLeadersHandler(IActiveController controller)
        : base(ApiKey.ElectLeaders, 0, 2)
    {
        ArgumentNullException.ThrowIfNull(controller);
        _controller = controller;
    }

    protected override async ValueTask<ElectLeadersResponse?> HandleAsync(RequestContext context, RequestHeader header, ElectLeadersRequest request, CancellationToken ct) =>
        await _controller.ElectLeadersAsync(request, header.RequestApiVersion, ct).ConfigureAwait(false);
}
