using Tributary.Client;
using Tributary.Client.Network;
using Tributary.Protocol;

namespace Tributary.Broker.Quorum;

/// <summary>
/// The connection to one quorum voter. Concurrent requests share one connection (the client
/// pipelines them); after a failure the next attempt waits out an exponential backoff (50 ms doubling
/// to 1 s), failing fast meanwhile, so a dead voter costs no connect storm.
/// </summary>
public sealed class RaftPeer : IAsyncDisposable
{
    private static readonly TimeSpan InitialBackoff = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(1);

    private readonly BrokerEndpoint _endpoint;
    private readonly ClientOptions _options;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _disposing = new();
    private Task<KafkaConnection>? _connection;
    private TimeSpan _backoff = TimeSpan.Zero;
    private long _retryAt;

    public RaftPeer(int nodeId, BrokerEndpoint endpoint, ClientOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        NodeId = nodeId;
        _endpoint = endpoint;
        _options = options;
        _time = time;
    }

    public int NodeId { get; }

    /// <summary>The open connection, opening one if needed; throws a NetworkException <see cref="KafkaException"/> while backing off.</summary>
    public Task<KafkaConnection> ConnectAsync(CancellationToken ct)
    {
        Task<KafkaConnection> connecting;
        KafkaConnection? stale = null;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposing.IsCancellationRequested, this);
            if (_connection is { } current && (!current.IsCompleted || (current.IsCompletedSuccessfully && current.Result.IsOpen)))
            {
                connecting = current;
            }
            else
            {
                if (_time.GetTimestamp() < _retryAt)
                {
                    return Task.FromException<KafkaConnection>(new KafkaException(ErrorCode.NetworkException,
                        $"node {NodeId} at {_endpoint} is unreachable; retrying after a backoff"));
                }

                if (_connection is { IsCompletedSuccessfully: true } closed)
                {
                    stale = closed.Result;
                }

                connecting = OpenAsync();
                _connection = connecting;
            }
        }

        if (stale is not null)
        {
            _ = stale.DisposeAsync().AsTask();
        }

        return ct.CanBeCanceled ? connecting.WaitAsync(ct) : connecting;
    }

    /// <summary>Called when a request on <paramref name="connection"/> failed: a dead connection is replaced on next use.</summary>
    public void Failed(KafkaConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (!connection.IsOpen)
        {
            lock (_lock)
            {
                ScheduleRetry();
            }
        }
    }

    private async Task<KafkaConnection> OpenAsync()
    {
        try
        {
            var connection = await KafkaConnection.ConnectAsync(_endpoint, _options, _disposing.Token).ConfigureAwait(false);
            lock (_lock)
            {
                _backoff = TimeSpan.Zero;
            }

            return connection;
        }
        catch (Exception)
        {
            lock (_lock)
            {
                ScheduleRetry();
            }

            throw;
        }
    }

    private void ScheduleRetry()
    {
        _backoff = _backoff == TimeSpan.Zero ? InitialBackoff : TimeSpan.FromTicks(Math.Min(_backoff.Ticks * 2, MaxBackoff.Ticks));
        _retryAt = _time.GetTimestamp() + (long)(_backoff.TotalSeconds * _time.TimestampFrequency);
    }

    public async ValueTask DisposeAsync()
    {
        Task<KafkaConnection>? connection;
        lock (_lock)
        {
            if (_disposing.IsCancellationRequested)
            {
                return;
            }

            _disposing.Cancel();
            connection = _connection;
        }

        if (connection is not null)
        {
            try
            {
                await (await connection.ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);
            }
#pragma warning disable CA1031 // a connection that never opened has nothing to close
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }

        _disposing.Dispose();
    }
}
