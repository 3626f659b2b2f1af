using System.Buffers.Binary;
using System.Net.Sockets;
using Tributary.Broker.Tests.Network;
using Tributary.Protocol;
using Tributary.Protocol.Messages;
using Tributary.Protocol.Primitives;
using Xunit;
using static Tributary.Broker.Tests.GroupHandlers.GroupClient;

namespace Tributary.Broker.Tests.GroupHandlers;

/// <summary>The group handlers behind the real socket server: parked JoinGroup responses complete late over TCP.</summary>
public sealed class SocketGroupTests
{
    [Fact]
    public async Task ParkedJoinsCompleteOverTheSocketServer()
    {
        await using var broker = await GroupBroker.StartAsync();
        await using var server = TestServer.Start(broker.Dispatcher);
        using var a = await Connection.OpenAsync(server.Port);
        using var b = await Connection.OpenAsync(server.Port);

        var idA = (await a.SendAsync<JoinGroupResponse>(Join("tcp-group"), 5)).MemberId;
        var idB = (await b.SendAsync<JoinGroupResponse>(Join("tcp-group"), 5)).MemberId;
        var joinA = a.SendAsync<JoinGroupResponse>(Join("tcp-group", idA), 5);
        var joinB = b.SendAsync<JoinGroupResponse>(Join("tcp-group", idB), 5);

        // Other connections are served while the joins are parked (a connection answers in request order).
        // Until A's second join has reached the coordinator, A is only a pending member and its
        // heartbeat is UNKNOWN_MEMBER_ID (Kafka's answer too); on a busy machine that takes a moment.
        using var c = await Connection.OpenAsync(server.Port);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        HeartbeatResponse heartbeat;
        while (true)
        {
            heartbeat = await c.SendAsync<HeartbeatResponse>(new HeartbeatRequest { GroupId = "tcp-group", GenerationId = 0, MemberId = idA }, 4);
            if (heartbeat.ErrorCode != (short)ErrorCode.UnknownMemberId || DateTime.UtcNow > deadline)
            {
                break;
            }

            await Task.Delay(20);
        }

        Assert.Equal((short)ErrorCode.RebalanceInProgress, heartbeat.ErrorCode);
        Assert.False(joinA.IsCompleted || joinB.IsCompleted);

        await broker.DriveAsync(1_000, joinA, joinB);

        var (ra, rb) = (await joinA, await joinB);
        Assert.Equal((short)ErrorCode.None, ra.ErrorCode);
        Assert.Equal((short)ErrorCode.None, rb.ErrorCode);
        Assert.Equal(1, ra.GenerationId);
        Assert.Equal(ra.Leader, rb.Leader);
        Assert.Equal(2, new[] { ra, rb }.Single(r => r.MemberId == r.Leader).Members.Count);
    }

    /// <summary>One TCP connection; request and response header versions follow the API version, as a client's do.</summary>
    private sealed class Connection : IDisposable
    {
        private readonly TcpClient _client;
        private readonly NetworkStream _stream;
        private int _correlationId;

        private Connection(TcpClient client)
        {
            _client = client;
            _stream = client.GetStream();
        }

        public static async Task<Connection> OpenAsync(int port)
        {
            var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", port);
            return new Connection(client);
        }

        public async Task<T> SendAsync<T>(IApiRequest request, short version)
            where T : IApiResponse, new()
        {
            var header = new RequestHeader { RequestApiKey = (short)request.ApiKey, RequestApiVersion = version, CorrelationId = ++_correlationId, ClientId = "tcp-client" };
            var headerVersion = ApiHeaderVersions.RequestHeaderVersion(request.ApiKey, version);
            var frame = new byte[4 + header.Size(headerVersion) + request.Size(version)];
            var writer = new KafkaWriter(frame);
            writer.WriteInt32(frame.Length - 4);
            header.Write(ref writer, headerVersion);
            request.Write(ref writer, version);
            await _stream.WriteAsync(frame);

            var size = new byte[4];
            await _stream.ReadExactlyAsync(size).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
            var body = new byte[BinaryPrimitives.ReadInt32BigEndian(size)];
            await _stream.ReadExactlyAsync(body).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
            var reader = new KafkaReader(body);
            var responseHeader = new ResponseHeader();
            responseHeader.Read(ref reader, ApiHeaderVersions.ResponseHeaderVersion(request.ApiKey, version));
            Assert.Equal(header.CorrelationId, responseHeader.CorrelationId);
            var response = new T();
            response.Read(ref reader, version);
            return response;
        }

        public void Dispose()
        {
            _stream.Dispose();
            _client.Dispose();
        }
    }
}
