using Tributary.Broker.Metadata.Controller;
using Tributary.Broker.Network;
using Tributary.Broker.Requests;
using Tributary.Protocol;
using Tributary.Protocol.Messages;

namespace Tributary.Broker.Handlers.Controller;

/// <summary>
/// AllocateProducerIds v0: a broker reserves the next block of producer ids from the active controller
/// (BROKER_ID_NOT_REGISTERED, STALE_BROKER_EPOCH, NOT_CONTROLLER elsewhere).
/// </summary>
public sealed class AllocateProducerIdsHandler : RequestHandler<AllocateProducerIdsRequest, AllocateProducerIdsResponse>
{
    private readonly IClusterController _controller;

    public AllocateProducerIdsHandler(IClusterController controller)
        : base(ApiKey.AllocateProducerIds, 0, 0)
    {
        ArgumentNullException.ThrowIfNull(controller);
        _controller = controller;
    }

    protected override async ValueTask<AllocateProducerIdsResponse?> HandleAsync(RequestContext context, RequestHeader header, AllocateProducerIdsRequest request, CancellationToken ct)
    {
        var (error, block) = await _controller.AllocateProducerIdsAsync(request.BrokerId, request.BrokerEpoch, ct).ConfigureAwait(false);
        return error == ErrorCode.None
            ? new AllocateProducerIdsResponse { ProducerIdStart = block.FirstId, ProducerIdLen = block.Size }
            : new AllocateProducerIdsResponse { ErrorCode = (short)error };
    }
}
