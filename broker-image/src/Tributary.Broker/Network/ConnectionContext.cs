using System.Net;
using Tributary.Broker.Config;

namespace Tributary.Broker.Network;

/// <summary>
/// What the request layer knows about one client connection. Identity fields are fixed; the
/// mutable ones (principal, client software) are set by handlers such as SaslAuthenticate and
/// ApiVersions and read by later requests on the same connection.
/// </summary>
public sealed class ConnectionContext
{
    private long _bytesReceived;
    private long _bytesSent;
    private long _requests;

    public ConnectionContext(long id, string listenerName, SecurityProtocol securityProtocol, EndPoint? remoteEndPoint, EndPoint? localEndPoint)
    {
        Id = id;
        ListenerName = listenerName;
        SecurityProtocol = securityProtocol;
        RemoteEndPoint = remoteEndPoint;
        LocalEndPoint = localEndPoint;
        ConnectedAt = DateTimeOffset.UtcNow;
    }

    /// <summary>Unique per server instance, increasing.</summary>
    public long Id { get; }

    /// <summary>The listener (<c>PLAINTEXT</c>, <c>CONTROLLER</c>...) this connection arrived on.</summary>
    public string ListenerName { get; }

    public SecurityProtocol SecurityProtocol { get; }
    public EndPoint? RemoteEndPoint { get; }
    public EndPoint? LocalEndPoint { get; }
    public DateTimeOffset ConnectedAt { get; }

    /// <summary>The authenticated principal; <c>User:ANONYMOUS</c> until SASL/mTLS says otherwise.</summary>
    public string Principal { get; set; } = "User:ANONYMOUS";

    /// <summary>From ApiVersions v3+: client software name and version (for metrics and logs).</summary>
    public string? ClientSoftwareName { get; set; }

    public string? ClientSoftwareVersion { get; set; }

    public long BytesReceived => Interlocked.Read(ref _bytesReceived);
    public long BytesSent => Interlocked.Read(ref _bytesSent);
    public long Requests => Interlocked.Read(ref _requests);

    internal void AddReceived(int bytes) => Interlocked.Add(ref _bytesReceived, bytes);
    internal void AddSent(int bytes) => Interlocked.Add(ref _bytesSent, bytes);
    internal void AddRequest() => Interlocked.Increment(ref _requests);

    public override string ToString() => $"connection {Id} on {ListenerName} from {RemoteEndPoint}";
}
