using Tributary.Broker.Metadata.Controller;
using Tributary.Broker.Network;
using Tributary.Broker.Requests;
using Tributary.Protocol.Messages;

namespace Tributary.Broker.Handlers.Controller;

/// <summary>BrokerHeartbeat v0-1 on the active controller: session keep-alive, unfencing, fencing and controlled shutdown (NOT_CONTROLLER elsewhere).</summary>
public sealed class BrokerHeartbeatHandler : RequestHandler<BrokerHeartbeatRequest, BrokerHeartbeatResponse>
{
    private readonly IActiveController _controller;

    public BrokerHeartbeatHandler(IActiveController controller)
        : base(ApiKey.BrokerHeartbeat, 0, 1)
    {
        ArgumentNullException.ThrowIfNull(controller);
        _controller = controller;
    }

    protected override async ValueTask<BrokerHeartbeatResponse?> HandleAsync(RequestContext context, RequestHeader header, BrokerHeartbeatRequest request, CancellationToken ct) =>
        await _controller.HeartbeatAsync(request, ct).ConfigureAwait(false);
}
