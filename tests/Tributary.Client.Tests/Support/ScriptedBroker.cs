using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Tributary.Protocol.Messages;
using Tributary.Protocol.Primitives;

namespace Tributary.Client.Tests.Support;

/// <summary>
/// A loopback TCP peer that parses request frames and answers through a handler, each response
/// written when its handler finishes (so responses may overtake each other). ApiVersions is
/// answered with every API the generated messages support. A null response closes the connection.
/// </summary>
public sealed class ScriptedBroker : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<RequestHeader, IApiRequest, Task<IApiResponse?>> _handler;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _sockets = [];
    private readonly Task _accept;

    public ScriptedBroker(Func<RequestHeader, IApiRequest, Task<IApiResponse?>> handler)
    {
        _handler = handler;
        _listener.Start();
        _accept = AcceptAsync();
    }

    public string Endpoint => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var socket = await _listener.AcceptSocketAsync(_stop.Token);
                lock (_sockets)
                {
                    _sockets.Add(socket);
                }

                _ = ServeAsync(socket);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        using var stream = new NetworkStream(socket, ownsSocket: true);
        using var writeLock = new SemaphoreSlim(1, 1);
        var pending = new List<Task>();
        try
        {
            var size = new byte[4];
            while (true)
            {
                await stream.ReadExactlyAsync(size, _stop.Token);
                var frame = new byte[BinaryPrimitives.ReadInt32BigEndian(size)];
                await stream.ReadExactlyAsync(frame, _stop.Token);
                var (header, body) = RequestFrameReader.Read(frame);
                pending.Add(RespondAsync(stream, writeLock, header, body));
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException or EndOfStreamException or ObjectDisposedException)
        {
        }

        try
        {
            await Task.WhenAll(pending);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException)
        {
        }
    }

    private async Task RespondAsync(NetworkStream stream, SemaphoreSlim writeLock, RequestHeader header, IApiRequest body)
    {
        var key = (ApiKey)header.RequestApiKey;
        var response = key == ApiKey.ApiVersions ? AllVersions() : await _handler(header, body);
        if (response is null)
        {
            stream.Socket.Close();
            return;
        }

        var responseHeader = new ResponseHeader { CorrelationId = header.CorrelationId };
        var headerVersion = ApiHeaderVersions.ResponseHeaderVersion(key, header.RequestApiVersion);
        var length = responseHeader.Size(headerVersion) + response.Size(header.RequestApiVersion);
        var buffer = new byte[4 + length];
        var writer = new KafkaWriter(buffer);
        writer.WriteInt32(length);
        responseHeader.Write(ref writer, headerVersion);
        response.Write(ref writer, header.RequestApiVersion);
        await writeLock.WaitAsync(_stop.Token);
        try
        {
            await stream.WriteAsync(buffer, _stop.Token);
        }
        finally
        {
            writeLock.Release();
        }
    }

    private static ApiVersionsResponse AllVersions() => new()
    {
        ApiKeys = ApiKeys.All.Select(k => new ApiVersionsResponse.ApiVersion { ApiKey = (short)k.Key, MinVersion = k.LowestVersion, MaxVersion = k.HighestVersion }).ToList(),
    };

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        lock (_sockets)
        {
            foreach (var socket in _sockets)
            {
                socket.Dispose();
            }
        }

        await _accept;
        _stop.Dispose();
    }
}
