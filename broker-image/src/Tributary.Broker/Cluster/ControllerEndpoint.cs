namespace Tributary.Broker.Cluster;

/// <summary>
/// A controller the channel may reach: a quorum voter (id, host, port), or an entry of
/// <c>controller.quorum.bootstrap.servers</c>, whose id is unknown (negative, never matched to a leader hint).
/// </summary>
public sealed record ControllerEndpoint(int Id, string Host, int Port)
{
    public override string ToString() => $"{Id}@{Host}:{Port}";
}
