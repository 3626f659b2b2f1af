namespace Tributary.Broker.Metadata;

/// <summary>A registered broker and whether the controller has fenced it.</summary>
public sealed record BrokerImage(int Id, string? Rack, IReadOnlyList<BrokerEndpoint> Endpoints, bool Fenced, long Epoch)
{
    public BrokerEndpoint? Endpoint(string listenerName) =>
        Endpoints.FirstOrDefault(e => string.Equals(e.ListenerName, listenerName, StringComparison.Ordinal));
}
