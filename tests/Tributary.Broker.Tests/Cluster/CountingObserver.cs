using Tributary.Broker.Network;

namespace Tributary.Broker.Tests.Cluster;

/// <summary>Counts the connections a server accepted.</summary>
internal sealed class CountingObserver : INetworkObserver
{
    private int _opened;

    public int Opened => Volatile.Read(ref _opened);

    public void ConnectionOpened(ConnectionContext connection) => Interlocked.Increment(ref _opened);

    public void ConnectionClosed(ConnectionContext connection, CloseReason reason)
    {
    }

    public void RequestReceived(in RequestContext request, int bytes)
    {
    }

    public void RequestCompleted(in RequestContext request, double elapsedSeconds, int responseBytes)
    {
    }
}
