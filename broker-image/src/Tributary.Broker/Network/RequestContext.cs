using System.Net;

namespace Tributary.Broker.Network;

/// <summary>One request as the dispatcher sees it: its connection, the routing prefix of its header and when it arrived.</summary>
public readonly record struct RequestContext(ConnectionContext Connection, RequestHeaderPrefix Header, long ReceivedTimestamp)
{
    public long ConnectionId => Connection.Id;
    public string ListenerName => Connection.ListenerName;
    public EndPoint? RemoteEndPoint => Connection.RemoteEndPoint;
    public short ApiKey => Header.ApiKey;
    public short ApiVersion => Header.ApiVersion;
    public int CorrelationId => Header.CorrelationId;
}
