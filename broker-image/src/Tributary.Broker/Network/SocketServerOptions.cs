using Tributary.Broker.Config;

namespace Tributary.Broker.Network;

/// <summary>Network limits and socket settings, normally taken from <see cref="BrokerConfig"/>.</summary>
public sealed record SocketServerOptions
{
    /// <summary><c>socket.request.max.bytes</c>: larger frames close the connection before any buffering.</summary>
    public int MaxRequestBytes { get; init; } = 100 * 1024 * 1024;

    /// <summary><c>connections.max.idle.ms</c>; null = never reap.</summary>
    public TimeSpan? IdleTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Requests one connection may have pending before the server stops reading it (back-pressure).</summary>
    public int MaxInflightRequestsPerConnection { get; init; } = 64;

    /// <summary>SO_SNDBUF / SO_RCVBUF; -1 keeps the operating system's default.</summary>
    public int SendBufferBytes { get; init; } = -1;

    public int ReceiveBufferBytes { get; init; } = -1;

    public int ListenBacklog { get; init; } = 4096;

    public static SocketServerOptions FromConfig(BrokerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new SocketServerOptions
        {
            MaxRequestBytes = config.SocketRequestMaxBytes,
            IdleTimeout = config.ConnectionsMaxIdleMs < 0 ? null : TimeSpan.FromMilliseconds(config.ConnectionsMaxIdleMs),
            MaxInflightRequestsPerConnection = config.ConnectionMaxInflightRequests,
            SendBufferBytes = config.SocketSendBufferBytes,
            ReceiveBufferBytes = config.SocketReceiveBufferBytes,
        };
    }
}
