using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tributary.Broker.Config;

namespace Tributary.Broker.Network;

/// <summary>
/// The broker's Kafka-protocol server: one accept loop per listener, one <see cref="KafkaConnection"/>
/// per client, an idle reaper, and a graceful stop. Requests go to a single <see cref="IRequestDispatcher"/>,
/// which sees the listener name in <see cref="RequestContext"/>.
/// </summary>
public sealed partial class SocketServer : IAsyncDisposable
{
    private readonly IReadOnlyList<ListenerBinding> _bindings;
    private readonly IRequestDispatcher _dispatcher;
    private readonly SocketServerOptions _options;
    private readonly INetworkObserver _observer;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<long, (KafkaConnection Connection, Task Run)> _connections = new();
    private readonly List<(Socket Socket, BoundListener Bound)> _listenSockets = [];
    private readonly List<Task> _acceptLoops = [];
    private readonly CancellationTokenSource _stopping = new();
    private Task? _reaper;
    private long _nextConnectionId;
    private int _state; // 0 new, 1 started, 2 stopped

    public SocketServer(IReadOnlyList<ListenerBinding> bindings, IRequestDispatcher dispatcher, SocketServerOptions options,
        INetworkObserver? observer = null, ILogger<SocketServer>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(bindings);
        ArgumentNullException.ThrowIfNull(dispatcher);
        ArgumentNullException.ThrowIfNull(options);
        _bindings = bindings;
        _dispatcher = dispatcher;
        _options = options;
        _observer = observer ?? NullNetworkObserver.Instance;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>The listeners with their actual bound addresses (valid after <see cref="Start"/>).</summary>
    public IReadOnlyList<BoundListener> BoundListeners => _listenSockets.Select(l => l.Bound).ToArray();

    public int ActiveConnections => _connections.Count;

    /// <summary>The bound port of a listener, for port-0 listeners in tests and <c>tributary dev</c>.</summary>
    public int GetBoundPort(string listenerName) =>
        BoundListeners.FirstOrDefault(l => l.Name == listenerName)?.EndPoint.Port
            ?? throw new ArgumentException($"no listener named '{listenerName}'", nameof(listenerName));

    /// <summary>Binds every listener and starts accepting. Throws <see cref="SocketException"/> if a port is taken.</summary>
    public void Start()
    {
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0)
        {
            throw new InvalidOperationException("the server was already started");
        }

        try
        {
            foreach (var binding in _bindings)
            {
                // Refuse rather than degrade: serving SASL_PLAINTEXT as PLAINTEXT would let every
                // client in unauthenticated while the operator believes authentication is on.
                if (binding.SecurityProtocol is not SecurityProtocol.Plaintext)
                {
                    throw new NotSupportedException($"listener {binding.Endpoint.Name} uses {binding.SecurityProtocol.ToKafkaName()}; only PLAINTEXT listeners are available yet (TLS and SASL are not)");
                }

                var socket = Bind(binding.Endpoint);
                var bound = new BoundListener(binding.Endpoint.Name, binding.SecurityProtocol, (IPEndPoint)socket.LocalEndPoint!);
                _listenSockets.Add((socket, bound));
                LogListening(_logger, bound.Name, bound.EndPoint.ToString());
            }
        }
        catch
        {
            foreach (var (socket, _) in _listenSockets)
            {
                socket.Dispose();
            }

            _listenSockets.Clear();
            throw;
        }

        foreach (var (socket, bound) in _listenSockets)
        {
            _acceptLoops.Add(AcceptLoopAsync(socket, bound));
        }

        if (_options.IdleTimeout is { } idle)
        {
            _reaper = ReapIdleAsync(idle);
        }
    }

    /// <summary>
    /// Stops accepting, lets in-flight requests finish and their responses go out for up to
    /// <paramref name="timeout"/>, then closes whatever is left.
    /// </summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        if (Interlocked.Exchange(ref _state, 2) != 1)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        foreach (var (socket, _) in _listenSockets)
        {
            socket.Dispose();
        }

        await Task.WhenAll(_acceptLoops).ConfigureAwait(false);
        if (_reaper is not null)
        {
            await _reaper.ConfigureAwait(false);
        }

        foreach (var (connection, _) in _connections.Values)
        {
            connection.BeginGracefulClose();
        }

        Task all = Task.WhenAll(_connections.Values.Select(c => c.Run));
        try
        {
            await all.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            LogShutdownTimeout(_logger, _connections.Count, timeout.TotalMilliseconds);
            foreach (var (connection, _) in _connections.Values)
            {
                connection.Abort(CloseReason.ServerShutdown);
            }

            await all.ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.Zero).ConfigureAwait(false);
        _stopping.Dispose();
    }

    private Socket Bind(ListenerEndpoint endpoint)
    {
        IPAddress address = ResolveBindAddress(endpoint);
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }

            // Lets a restarted broker rebind while old connections sit in TIME_WAIT (Linux semantics).
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(new IPEndPoint(address, endpoint.Port));
            socket.Listen(_options.ListenBacklog);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static IPAddress ResolveBindAddress(ListenerEndpoint endpoint)
    {
        if (endpoint.Host.Length == 0 || endpoint.Host == "::")
        {
            return Socket.OSSupportsIPv6 ? IPAddress.IPv6Any : IPAddress.Any;
        }

        if (IPAddress.TryParse(endpoint.Host, out var ip))
        {
            return ip;
        }

        var addresses = Dns.GetHostAddresses(endpoint.Host);
        return addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
            ?? addresses.FirstOrDefault()
            ?? throw new SocketException((int)SocketError.HostNotFound);
    }

    private async Task AcceptLoopAsync(Socket listenSocket, BoundListener bound)
    {
        CancellationToken ct = _stopping.Token;
        while (!ct.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listenSocket.AcceptAsync(ct).ConfigureAwait(false);
            }
            catch (Exception) when (ct.IsCancellationRequested)
            {
                break;
            }
            catch (SocketException e)
            {
                // Typically EMFILE under a connection storm: back off instead of spinning.
                LogAcceptFailed(_logger, bound.Name, e.SocketErrorCode);
                await Task.Delay(50, CancellationToken.None).ConfigureAwait(false);
                continue;
            }

            StartConnection(client, bound);
        }
    }

    private void StartConnection(Socket client, BoundListener bound)
    {
        try
        {
            client.NoDelay = true;
            if (_options.SendBufferBytes > 0)
            {
                client.SendBufferSize = _options.SendBufferBytes;
            }

            if (_options.ReceiveBufferBytes > 0)
            {
                client.ReceiveBufferSize = _options.ReceiveBufferBytes;
            }

            long id = Interlocked.Increment(ref _nextConnectionId);
            var context = new ConnectionContext(id, bound.Name, bound.SecurityProtocol, client.RemoteEndPoint, client.LocalEndPoint);
            var connection = new KafkaConnection(client, context, _dispatcher, _options, _observer, _logger);

            // Registered before it runs so StopAsync and the reaper always see it.
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Task run = RunConnectionAsync(connection, start.Task);
            _connections[id] = (connection, run);
            start.SetResult();
        }
        catch (SocketException)
        {
            // The client vanished between accept and setup.
            client.Dispose();
        }
    }

    private async Task RunConnectionAsync(KafkaConnection connection, Task registered)
    {
        await registered.ConfigureAwait(false);
        if (Volatile.Read(ref _state) == 2)
        {
            connection.BeginGracefulClose();
        }

        try
        {
            await connection.RunAsync().ConfigureAwait(false);
        }
        finally
        {
            _connections.TryRemove(connection.Context.Id, out _);
        }
    }

    private async Task ReapIdleAsync(TimeSpan idle)
    {
        long idleMs = (long)idle.TotalMilliseconds;
        var period = TimeSpan.FromMilliseconds(Math.Clamp(idleMs / 4, 10, 5_000));
        using var timer = new PeriodicTimer(period);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token).ConfigureAwait(false))
            {
                long now = Environment.TickCount64;
                foreach (var (connection, _) in _connections.Values)
                {
                    if (connection.IsIdle(now, idleMs))
                    {
                        connection.Abort(CloseReason.Idle);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Server stopping.
        }
    }
}
