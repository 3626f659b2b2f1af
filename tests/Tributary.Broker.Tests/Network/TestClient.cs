using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Tributary.Broker.Tests.Network;

/// <summary>A raw Kafka-framing client for tests: writes size-prefixed frames, reads size-prefixed responses.</summary>
internal sealed class TestClient : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);
    private readonly Socket _socket;

    private TestClient(Socket socket) => _socket = socket;

    public static async Task<TestClient> ConnectAsync(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var cts = new CancellationTokenSource(Timeout);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cts.Token);
        return new TestClient(socket);
    }

    /// <summary>A request frame: size, api key, api version, correlation id, then <paramref name="body"/>.</summary>
    public static byte[] Frame(short apiKey, int correlationId, ReadOnlySpan<byte> body = default)
    {
        var frame = new byte[4 + 8 + body.Length];
        BinaryPrimitives.WriteInt32BigEndian(frame, 8 + body.Length);
        BinaryPrimitives.WriteInt16BigEndian(frame.AsSpan(4), apiKey);
        BinaryPrimitives.WriteInt16BigEndian(frame.AsSpan(6), 1);
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(8), correlationId);
        body.CopyTo(frame.AsSpan(12));
        return frame;
    }

    public async Task SendAsync(byte[] bytes)
    {
        using var cts = new CancellationTokenSource(Timeout);
        await _socket.SendAsync(bytes, SocketFlags.None, cts.Token);
    }

    public Task SendRequestAsync(int correlationId, short apiKey = 3, byte[]? body = null) =>
        SendAsync(Frame(apiKey, correlationId, body));

    /// <summary>Reads one response frame's payload; null if the server closed the connection first.</summary>
    public async Task<byte[]?> ReceiveAsync()
    {
        var size = new byte[4];
        if (!await ReadExactlyAsync(size))
        {
            return null;
        }

        var payload = new byte[BinaryPrimitives.ReadInt32BigEndian(size)];
        return await ReadExactlyAsync(payload) ? payload : null;
    }

    /// <summary>The correlation id at the start of a response payload.</summary>
    public async Task<int?> ReceiveCorrelationIdAsync() =>
        await ReceiveAsync() is { } payload ? BinaryPrimitives.ReadInt32BigEndian(payload) : null;

    /// <summary>True when the server closes (EOF or reset) before sending anything more.</summary>
    public async Task<bool> IsClosedByServerAsync()
    {
        var one = new byte[1];
        try
        {
            using var cts = new CancellationTokenSource(Timeout);
            return await _socket.ReceiveAsync(one, SocketFlags.None, cts.Token) == 0;
        }
        catch (SocketException)
        {
            return true;
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<bool> ReadExactlyAsync(byte[] buffer)
    {
        int filled = 0;
        using var cts = new CancellationTokenSource(Timeout);
        try
        {
            while (filled < buffer.Length)
            {
                int n = await _socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, cts.Token);
                if (n == 0)
                {
                    return false;
                }

                filled += n;
            }
        }
        catch (SocketException)
        {
            return false;
        }

        return true;
    }
}
