using System.Buffers.Binary;
using System.Net.Sockets;
using Confluent.Kafka;
using Tributary.Protocol.Messages;
using Tributary.Server.Tests.Support;
using Tributary.TestSupport;

namespace Tributary.Server.Tests;

/// <summary>Garbage, oversized frames, unknown versions and invalid topic names: the right error or a closed connection, and other clients keep working.</summary>
public sealed class BadInputTests : IClassFixture<BrokerFixture>
{
    private readonly BrokerFixture _fixture;

    public BadInputTests(BrokerFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task GarbageFrameClosesOnlyThatConnection()
    {
        using var healthy = await ConnectAsync();
        using var bad = await ConnectAsync();
        var garbage = new byte[64];
        new Random(7).NextBytes(garbage);
        BinaryPrimitives.WriteInt32BigEndian(garbage, garbage.Length - 4);
        BinaryPrimitives.WriteInt16BigEndian(garbage.AsSpan(4), 999); // no such API key
        await bad.GetStream().WriteAsync(garbage);
        Assert.True(await IsClosedAsync(bad));
        await AssertApiVersionsWorksAsync(healthy);
    }

    [Fact]
    public async Task OversizedFrameClosesConnectionBeforeReadingIt()
    {
        using var bad = await ConnectAsync();
        var header = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(header, 200 * 1024 * 1024); // over socket.request.max.bytes
        await bad.GetStream().WriteAsync(header);
        Assert.True(await IsClosedAsync(bad));
        using var healthy = await ConnectAsync();
        await AssertApiVersionsWorksAsync(healthy);
    }

    [Fact]
    public async Task NegativeFrameSizeClosesConnection()
    {
        using var bad = await ConnectAsync();
        await bad.GetStream().WriteAsync(new byte[] { 0xFF, 0xFF, 0xFF, 0xF0 });
        Assert.True(await IsClosedAsync(bad));
    }

    [Fact]
    public async Task UnknownApiVersionsVersionIsAnsweredInV0WithUnsupportedVersion()
    {
        // A client probing a newer ApiVersions sends a flexible (v2) request header: api key,
        // version 99, correlation id, client id, empty tagged fields; the body is not parsed (KIP-511).
        using var client = await ConnectAsync();
        var frame = new byte[4 + 11 + 3];
        BinaryPrimitives.WriteInt32BigEndian(frame, frame.Length - 4);
        BinaryPrimitives.WriteInt16BigEndian(frame.AsSpan(4), (short)ApiKey.ApiVersions);
        BinaryPrimitives.WriteInt16BigEndian(frame.AsSpan(6), 99);
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(8), 7);
        BinaryPrimitives.WriteInt16BigEndian(frame.AsSpan(12), 0); // client id ""
        frame[14] = 0; // header tagged fields
        await client.GetStream().WriteAsync(frame);
        var payload = await ReadFrameAsync(client);
        Assert.Equal(7, BinaryPrimitives.ReadInt32BigEndian(payload)); // response header v0: correlation id only
        var response = MessageSerializer.Read<ApiVersionsResponse>(payload.AsMemory(4), 0);
        Assert.Equal((short)Tributary.Protocol.ErrorCode.UnsupportedVersion, response.ErrorCode);
        Assert.Contains(response.ApiKeys, k => k.ApiKey == (short)ApiKey.Produce);
    }

    [Fact]
    public async Task UnsupportedVersionOfAnotherApiClosesTheConnection()
    {
        using var client = await ConnectAsync();
        var frame = new byte[4 + 10];
        BinaryPrimitives.WriteInt32BigEndian(frame, 10);
        BinaryPrimitives.WriteInt16BigEndian(frame.AsSpan(4), (short)ApiKey.Metadata);
        BinaryPrimitives.WriteInt16BigEndian(frame.AsSpan(6), 999);
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(8), 1);
        BinaryPrimitives.WriteInt16BigEndian(frame.AsSpan(12), -1);
        await client.GetStream().WriteAsync(frame);
        Assert.True(await IsClosedAsync(client));
    }

    [Fact]
    public async Task InvalidTopicNamesAreRefusedWithInvalidTopicException()
    {
        RealClients.EnsureLoaded();
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = _fixture.Broker.BootstrapServers }).Build();
        var failure = await Assert.ThrowsAsync<Confluent.Kafka.Admin.CreateTopicsException>(() =>
            admin.CreateTopicsAsync([new Confluent.Kafka.Admin.TopicSpecification { Name = "bad name!", NumPartitions = 1, ReplicationFactor = 1 }]));
        Assert.Equal(ErrorCode.TopicException, failure.Results[0].Error.Code);

        using var producer = new ProducerBuilder<Null, string>(RealClients.ProducerConfig(_fixture.Broker.BootstrapServers)).Build();
        var produce = await Assert.ThrowsAnyAsync<KafkaException>(() => producer.ProduceAsync("bad/topic", new Message<Null, string> { Value = "x" }));
        Assert.NotEqual(ErrorCode.NoError, produce.Error.Code);

        // The broker is unharmed.
        using var healthy = await ConnectAsync();
        await AssertApiVersionsWorksAsync(healthy);
    }

    private async Task<TcpClient> ConnectAsync()
    {
        var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", _fixture.Broker.Port);
        return client;
    }

    private static async Task<bool> IsClosedAsync(TcpClient client)
    {
        var buffer = new byte[1024];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            while (true)
            {
                var read = await client.GetStream().ReadAsync(buffer, timeout.Token);
                if (read == 0)
                {
                    return true;
                }
            }
        }
        catch (IOException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task AssertApiVersionsWorksAsync(TcpClient client)
    {
        var request = new byte[4 + 10];
        BinaryPrimitives.WriteInt32BigEndian(request, 10);
        BinaryPrimitives.WriteInt16BigEndian(request.AsSpan(4), (short)ApiKey.ApiVersions);
        BinaryPrimitives.WriteInt16BigEndian(request.AsSpan(6), 0);
        BinaryPrimitives.WriteInt32BigEndian(request.AsSpan(8), 42);
        BinaryPrimitives.WriteInt16BigEndian(request.AsSpan(12), -1);
        await client.GetStream().WriteAsync(request);
        var body = await ReadFrameAsync(client);
        Assert.Equal(42, BinaryPrimitives.ReadInt32BigEndian(body));
        Assert.Equal(0, BinaryPrimitives.ReadInt16BigEndian(body.AsSpan(4)));
    }

    /// <summary>Reads one size-prefixed response frame (correlation id first).</summary>
    private static async Task<byte[]> ReadFrameAsync(TcpClient client)
    {
        var stream = client.GetStream();
        var size = new byte[4];
        await stream.ReadExactlyAsync(size);
        var frame = new byte[BinaryPrimitives.ReadInt32BigEndian(size)];
        await stream.ReadExactlyAsync(frame);
        return frame;
    }
}
