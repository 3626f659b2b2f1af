namespace Tributary.Broker.Network;

/// <summary>An observer that records nothing (tests, tools).</summary>
public sealed class NullNetworkObserver : INetworkObserver
{
    public static readonly NullNetworkObserver Instance = new();

    public void ConnectionOpened(ConnectionContext connection)
    {
    }

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
