using Tributary.Broker.Metadata.Controller;
using Tributary.Broker.Network;
using Tributary.Broker.Requests;
using Tributary.Protocol.Messages;

namespace Tributary.Broker.Handlers.Controller;

/// <summary>BrokerRegistration v0-4 on the active controller: registers a broker fenced and answers its epoch (NOT_CONTROLLER elsewhere).</summary>
public sealed class BrokerRegistrationHandler : RequestHandler<BrokerRegistrationRequest, BrokerRegistrationResponse>
{
    private readonly IActiveController _controller;

    public BrokerRegistrationHandler(IActiveController controller)
        : base(ApiKey.BrokerRegistration, 0, 4)
    {
        ArgumentNullException.ThrowIfNull(controller);
        _controller = controller;
    }

    protected override async ValueTask<BrokerRegistrationResponse?> HandleAsync(RequestContext context, RequestHeader header, BrokerRegistrationRequest request, CancellationToken ct) =>
        await _controller.RegisterBrokerAsync(request, ct).ConfigureAwait(false);
}
