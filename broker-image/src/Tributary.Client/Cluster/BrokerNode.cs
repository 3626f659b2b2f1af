using Tributary.Client.Network;

namespace Tributary.Client.Cluster;

/// <summary>A broker as metadata describes it.</summary>
public sealed record BrokerNode(int Id, string Host, int Port, string? Rack)
{
    public BrokerEndpoint Endpoint => new(Host, Port);
}
