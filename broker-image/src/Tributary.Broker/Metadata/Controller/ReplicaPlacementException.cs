using Tributary.Protocol;

namespace Tributary.Broker.Metadata.Controller;

/// <summary>
/// The <see cref="ReplicaPlacer"/> cannot place replicas as asked (e.g. more replicas than live
/// brokers). <see cref="Error"/> is the Kafka error code the request should fail with.
/// </summary>
public sealed class ReplicaPlacementException : Exception
{
    public ReplicaPlacementException(ErrorCode error, string message) : base(message) => Error = error;

    public ErrorCode Error { get; }
}
