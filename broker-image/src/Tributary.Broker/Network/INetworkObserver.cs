namespace Tributary.Broker.Network;

/// <summary>
/// Metrics hooks of the network server. Called on I/O threads: implementations must be cheap,
/// thread-safe and must not throw.
/// </summary>
public interface INetworkObserver
{
    void ConnectionOpened(ConnectionContext connection);

    void ConnectionClosed(ConnectionContext connection, CloseReason reason);

    /// <summary>A complete request frame arrived (<paramref name="bytes"/> includes the size prefix).</summary>
    void RequestReceived(in RequestContext request, int bytes);

    /// <summary>
    /// A request finished: its response (if any) was queued for sending. <paramref name="elapsedSeconds"/>
    /// runs from frame arrival to completion; <paramref name="responseBytes"/> is 0 for no-response requests.
    /// </summary>
    void RequestCompleted(in RequestContext request, double elapsedSeconds, int responseBytes);
}
