namespace Tributary.Client.Network;

/// <summary>
/// One connection per broker node id (bootstrap entries use negative ids), opened on first use and
/// replaced when it fails or the node moved to another endpoint. Concurrent callers share one
/// connect attempt; a failed attempt is forgotten so the next caller tries again.
/// </summary>
public sealed class ConnectionPool(IKafkaConnectionFactory factory) : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<int, (BrokerEndpoint Endpoint, Task<IKafkaConnection> Connecting)> _connections = [];
    private bool _disposed;

    public async Task<IKafkaConnection> GetAsync(int nodeId, BrokerEndpoint endpoint, CancellationToken cancellationToken)
    {
        Task<IKafkaConnection> connecting;
        IKafkaConnection? stale = null;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_connections.TryGetValue(nodeId, out var entry) && entry.Endpoint == endpoint
                && !(entry.Connecting.IsCompletedSuccessfully && !entry.Connecting.Result.IsOpen) && !entry.Connecting.IsFaulted && !entry.Connecting.IsCanceled)
            {
                connecting = entry.Connecting;
            }
            else
            {
                if (entry.Connecting is { IsCompletedSuccessfully: true })
                {
                    stale = entry.Connecting.Result;
                }

                // The connect attempt is not tied to one caller's token: others may be waiting on it.
                connecting = factory.ConnectAsync(endpoint, CancellationToken.None);
                _connections[nodeId] = (endpoint, connecting);
            }
        }

        if (stale is not null)
        {
            await stale.DisposeAsync().ConfigureAwait(false);
        }

        return await connecting.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>An already open connection to the node, without connecting.</summary>
    public IKafkaConnection? TryGetOpen(int nodeId)
    {
        lock (_gate)
        {
            return _connections.TryGetValue(nodeId, out var entry) && entry.Connecting.IsCompletedSuccessfully && entry.Connecting.Result.IsOpen
                ? entry.Connecting.Result
                : null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        List<Task<IKafkaConnection>> all;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            all = _connections.Values.Select(e => e.Connecting).ToList();
            _connections.Clear();
        }

        foreach (var connecting in all)
        {
            try
            {
                var connection = await connecting.ConfigureAwait(false);
                await connection.DisposeAsync().ConfigureAwait(false);
            }
            catch (KafkaException)
            {
                // It never opened: nothing to close.
            }
        }
    }
}
