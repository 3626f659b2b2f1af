using System.Net;
using System.Net.Sockets;
using Tributary.Broker.Metadata;

namespace Tributary.Broker.Handlers.Admin;

/// <summary>
/// The host and port a client should use for a broker on the listener its request came in on.
/// A broker's registration carries its advertised listeners; for this broker an empty host or a
/// port 0 (ephemeral listeners, <c>tributary dev</c>) is filled in from the bound socket: the bound
/// address when it is specific, else the address the client connected to, else the machine name.
/// </summary>
public sealed class AdvertisedEndpoints
{
    private readonly int _localNodeId;
    private readonly Func<string, IPEndPoint?> _boundEndpoint;

    /// <param name="localNodeId">This broker's node id.</param>
    /// <param name="boundEndpoint">
    /// The bound address of a listener by name, or null when unknown (e.g.
    /// <c>name => server.BoundListeners.FirstOrDefault(l => l.Name == name)?.EndPoint</c>).
    /// </param>
    public AdvertisedEndpoints(int localNodeId, Func<string, IPEndPoint?> boundEndpoint)
    {
        ArgumentNullException.ThrowIfNull(boundEndpoint);
        _localNodeId = localNodeId;
        _boundEndpoint = boundEndpoint;
    }

    /// <summary>
    /// The endpoint of <paramref name="broker"/> on <paramref name="listenerName"/>, or null when the
    /// broker has no such listener. <paramref name="connectionLocal"/> is the local end of the
    /// requesting connection.
    /// </summary>
    public (string Host, int Port)? Resolve(BrokerImage broker, string listenerName, EndPoint? connectionLocal)
    {
        ArgumentNullException.ThrowIfNull(broker);
        var endpoint = broker.Endpoint(listenerName);
        if (endpoint is null)
        {
            return null;
        }

        if (broker.Id != _localNodeId || (endpoint.Host.Length > 0 && endpoint.Port != 0))
        {
            return (endpoint.Host, endpoint.Port);
        }

        var bound = _boundEndpoint(listenerName);
        var local = connectionLocal as IPEndPoint;
        var host = endpoint.Host.Length > 0 ? endpoint.Host : HostFor(bound, local);
        var port = endpoint.Port != 0 ? endpoint.Port : bound?.Port ?? local?.Port ?? 0;
        return (host, port);
    }

    /// <summary>
    /// The host to advertise for a listener configured without one (<c>PLAINTEXT://:9092</c>):
    /// the address it is bound to, or, when that is every interface, the connection's local
    /// address, else the machine's host name (Kafka advertises the canonical host name). Never
    /// 0.0.0.0, which would send other brokers and clients nowhere.
    /// </summary>
    internal static string HostFor(IPEndPoint? bound, IPEndPoint? local)
    {
        if (bound is not null && !IsWildcard(bound.Address))
        {
            return Format(bound.Address);
        }

        if (local is not null && !IsWildcard(local.Address))
        {
            return Format(local.Address);
        }

        return Dns.GetHostName();
    }

    private static bool IsWildcard(IPAddress address) => address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any);

    private static string Format(IPAddress address)
    {
        var a = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        // A link-local scope (%eth0) means nothing to a remote client.
        return a.AddressFamily == AddressFamily.InterNetworkV6 ? a.ToString().Split('%')[0] : a.ToString();
    }
}
