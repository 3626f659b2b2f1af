using Tributary.Protocol;

namespace Tributary.Broker.Producers;

/// <summary>InitProducerId response fields.</summary>
public readonly record struct InitProducerIdResult(ErrorCode Error, long ProducerId, short ProducerEpoch)
{
    public static InitProducerIdResult Failure(ErrorCode error) => new(error, -1, -1);
}
