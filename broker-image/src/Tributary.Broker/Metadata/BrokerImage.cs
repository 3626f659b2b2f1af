namespace Tributary.Broker.Metadata;

/// <summary>A registered broker and whether the controller has fenced it.</summary>
public sealed record BrokerImage(int Id, string? Rack, IReadOnlyList<BrokerEndpoint> Endpoints, bool Fenced, long Epoch)
{
    /// <summary>The incarnation (process start) that registered: a restart registers a new one.</summary>
    public Guid IncarnationId { get; init; }

    /// <summary>
    /// The log offset at which the registration was replayed. Usually equal to <see cref="Epoch"/> (the
    /// controller predicts it), but the controller unfences only once the broker has caught up to this one.
    /// </summary>
    public long RegistrationOffset { get; init; }

    /// <summary>The broker asked to shut down and the controller is moving its leaderships away.</summary>
    public bool InControlledShutdown { get; init; }

    /// <summary>May lead partitions and join ISRs: unfenced and not shutting down (Kafka's "active").</summary>
    public bool IsActive => !Fenced && !InControlledShutdown;

    public BrokerEndpoint? Endpoint(string listenerName) =>
        Endpoints.FirstOrDefault(e => string.Equals(e.ListenerName, listenerName, StringComparison.Ordinal));
}
