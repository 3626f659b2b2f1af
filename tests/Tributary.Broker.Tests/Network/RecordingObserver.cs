using System.Collections.Concurrent;
using Tributary.Broker.Network;

namespace Tributary.Broker.Tests.Network;

/// <summary>Records the network hooks so tests can assert on close reasons and counts.</summary>
internal sealed class RecordingObserver : INetworkObserver
{
    public ConcurrentQueue<CloseReason> Closed { get; } = new();

    public int Opened;
    public int Received;
    public int Completed;

    public void ConnectionOpened(ConnectionContext connection) => Interlocked.Increment(ref Opened);

    public void ConnectionClosed(ConnectionContext connection, CloseReason reason) => Closed.Enqueue(reason);

    public void RequestReceived(in RequestContext request, int bytes) => Interlocked.Increment(ref Received);

    public void RequestCompleted(in RequestContext request, double elapsedSeconds, int responseBytes) => Interlocked.Increment(ref Completed);
}
