using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Tributary.Broker.Metrics;

/// <summary>
/// A deliberately tiny HTTP/1.1 responder for <c>GET /metrics</c>, <c>/healthz</c> (the process is
/// up) and <c>/ready</c> (the broker serves requests). One request per connection, then close:
/// scrapers and kubelet probes need nothing more, and it starts in microseconds.
/// </summary>
public sealed partial class MetricsHttpServer : IAsyncDisposable
{
    private const int MaxRequestHeadBytes = 8 * 1024;
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    private readonly IPEndPoint _bindTo;
    private readonly IMetricsExposition _metrics;
    private readonly Func<bool> _isReady;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly HashSet<Task> _inflight = [];
    private Socket? _listenSocket;
    private Task? _acceptLoop;

    public MetricsHttpServer(IPEndPoint bindTo, IMetricsExposition metrics, Func<bool> isReady, ILogger<MetricsHttpServer>? logger = null)
    {
        _bindTo = bindTo;
        _metrics = metrics;
        _isReady = isReady;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>The bound address (the real port when bound to port 0). Valid after <see cref="Start"/>.</summary>
    public IPEndPoint EndPoint => (IPEndPoint)(_listenSocket?.LocalEndPoint ?? throw new InvalidOperationException("not started"));

    public void Start()
    {
        var socket = new Socket(_bindTo.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (_bindTo.Address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }

            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(_bindTo);
            socket.Listen(128);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        _listenSocket = socket;
        LogListening(_logger, EndPoint.ToString());
        _acceptLoop = AcceptLoopAsync(socket);
    }

    public async Task StopAsync()
    {
        if (_listenSocket is null || _stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _listenSocket.Dispose();
        await _acceptLoop!.ConfigureAwait(false);
        Task[] pending;
        lock (_inflight)
        {
            pending = [.. _inflight];
        }

        await Task.WhenAll(pending).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync(Socket listenSocket)
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listenSocket.AcceptAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception) when (_stopping.IsCancellationRequested)
            {
                break;
            }
            catch (SocketException)
            {
                await Task.Delay(50, CancellationToken.None).ConfigureAwait(false);
                continue;
            }

            Task task = ServeAsync(client);
            lock (_inflight)
            {
                _inflight.Add(task);
            }

            _ = task.ContinueWith(t => { lock (_inflight) { _inflight.Remove(t); } }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    private async Task ServeAsync(Socket client)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        timeout.CancelAfter(RequestTimeout);
        await using var stream = new NetworkStream(client, ownsSocket: true);
        try
        {
            string? head = await ReadHeadAsync(stream, timeout.Token).ConfigureAwait(false);

            // Render on the thread pool: with inline socket completions this may be a socket
            // event thread, which other connections' receives wait for (SocketEventThreads).
            await Task.CompletedTask.ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
            var (status, contentType, body, isHead) = Route(head);
            byte[] bodyBytes = Encoding.UTF8.GetBytes(body);
            var headers = new StringBuilder()
                .Append("HTTP/1.1 ").Append(status).Append("\r\n")
                .Append("Content-Type: ").Append(contentType).Append("\r\n")
                .Append("Content-Length: ").Append(bodyBytes.Length).Append("\r\n");
            if (status.StartsWith("405", StringComparison.Ordinal))
            {
                headers.Append("Allow: GET, HEAD\r\n");
            }

            headers.Append("Connection: close\r\n\r\n");
            await stream.WriteAsync(Encoding.ASCII.GetBytes(headers.ToString()), timeout.Token).ConfigureAwait(false);
            if (!isHead)
            {
                await stream.WriteAsync(bodyBytes, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
        {
            // The scraper went away or was too slow; nothing to answer.
        }
    }

    private (string Status, string ContentType, string Body, bool IsHead) Route(string? head)
    {
        const string text = "text/plain; charset=utf-8";
        string[] parts = head?.Split('\n', 2)[0].TrimEnd('\r').Split(' ') ?? [];
        if (parts.Length != 3 || !parts[2].StartsWith("HTTP/1.", StringComparison.Ordinal))
        {
            return ("400 Bad Request", text, "bad request\n", false);
        }

        string method = parts[0];
        bool isHead = method == "HEAD";
        if (method != "GET" && !isHead)
        {
            return ("405 Method Not Allowed", text, "method not allowed\n", false);
        }

        string path = parts[1].Split('?', 2)[0];
        return path switch
        {
            "/metrics" => ("200 OK", _metrics.ContentType, Render(), isHead),
            "/healthz" => ("200 OK", text, "ok\n", isHead),
            "/ready" => IsReady() ? ("200 OK", text, "ready\n", isHead) : ("503 Service Unavailable", text, "not ready\n", isHead),
            _ => ("404 Not Found", text, "not found\n", isHead),
        };
    }

    private string Render()
    {
        using var writer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        _metrics.WriteTo(writer);
        return writer.ToString();
    }

    private bool IsReady()
    {
        try
        {
            return _isReady();
        }
#pragma warning disable CA1031 // A failing readiness probe means "not ready", never a crashed endpoint.
        catch (Exception)
#pragma warning restore CA1031
        {
            return false;
        }
    }

    /// <summary>Reads up to the blank line ending the request head; null if it is too long or the client closes first.</summary>
    private static async Task<string?> ReadHeadAsync(NetworkStream stream, CancellationToken ct)
    {
        byte[] buffer = new byte[MaxRequestHeadBytes];
        int filled = 0;
        while (filled < buffer.Length)
        {
            int n = await stream.ReadAsync(buffer.AsMemory(filled), ct).ConfigureAwait(false);
            if (n == 0)
            {
                return null;
            }

            filled += n;
            if (buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8) >= 0 || buffer.AsSpan(0, filled).IndexOf("\n\n"u8) >= 0)
            {
                return Encoding.ASCII.GetString(buffer, 0, filled);
            }
        }

        return null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Metrics endpoint serving /metrics, /healthz and /ready on http://{EndPoint}")]
    private static partial void LogListening(ILogger logger, string endPoint);
}
