using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Tributary.Broker.Config;
using Tributary.Broker.Handlers.Admin;
using Tributary.Broker.Network;
using Tributary.Broker.Requests;
using Tributary.Broker.Tests.Metadata;
using Tributary.Broker.Topics;
using Tributary.Protocol.Messages;
using Tributary.Protocol.Primitives;
using Xunit;

namespace Tributary.Broker.Tests.Admin;

/// <summary>
/// The admin handlers over a real single-node metadata stack, driven through the
/// <see cref="RequestDispatcher"/> with serialized frames, as a connection would.
/// </summary>
internal sealed class AdminBroker : IAsyncDisposable
{
    private readonly RequestDispatcher _dispatcher;

    private AdminBroker(MetadataStack stack, IPEndPoint? bound, TimeProvider? time = null)
    {
        Stack = stack;
        var endpoints = new AdvertisedEndpoints(stack.Config.NodeId, _ => bound);
        var catalog = new BrokerConfigCatalog(stack.Config, stack.Resolver);
        var table = new HandlerTable(
        [
            new MetadataHandler(stack.Store, stack.Controller, stack.Config, endpoints),
            new CreateTopicsHandler(stack.Controller),
            new DeleteTopicsHandler(stack.Controller),
            new CreatePartitionsHandler(stack.Controller),
            new DescribeConfigsHandler(stack.Store, stack.Config, stack.Resolver, catalog),
            new AlterConfigsHandler(stack.Controller),
            new IncrementalAlterConfigsHandler(stack.Controller),
            new DescribeClusterHandler(stack.Store, endpoints),
            new DescribeQuorumHandler(stack.Store, stack.Config, time),
            new DescribeLogDirsHandler(stack.Config, stack.Logs),
        ]);
        _dispatcher = new RequestDispatcher(table, NullLogger<RequestDispatcher>.Instance);
    }

    public MetadataStack Stack { get; }

    public static async Task<AdminBroker> StartAsync(IPEndPoint? bound = null, params (string Key, string Value)[] extra) =>
        new(await MetadataStack.StartAsync(null, extra), bound);

    /// <summary>A broker whose handlers read <paramref name="time"/> (DescribeQuorum's timestamps).</summary>
    public static async Task<AdminBroker> StartWithClockAsync(TimeProvider time, params (string Key, string Value)[] extra) =>
        new(await MetadataStack.StartAsync(null, extra), null, time);

    /// <summary>Serializes <paramref name="request"/> at <paramref name="version"/>, dispatches it and parses the response.</summary>
    public async Task<TResponse> Send<TResponse>(IApiRequest request, short version, string listener = "PLAINTEXT", EndPoint? local = null)
        where TResponse : IApiResponse, new()
    {
        var key = request.ApiKey;
        var header = new RequestHeader { RequestApiKey = (short)key, RequestApiVersion = version, CorrelationId = 42, ClientId = "admin-test" };
        var headerVersion = ApiHeaderVersions.RequestHeaderVersion(key, version);
        var bytes = new byte[header.Size(headerVersion) + request.Size(version)];
        var writer = new KafkaWriter(bytes);
        header.Write(ref writer, headerVersion);
        request.Write(ref writer, version);

        var connection = new ConnectionContext(1, listener, SecurityProtocol.Plaintext, new IPEndPoint(IPAddress.Loopback, 50000), local ?? new IPEndPoint(IPAddress.Loopback, 9092));
        var context = new RequestContext(connection, new RequestHeaderPrefix((short)key, version, 42), 0);
        using var frame = await _dispatcher.DispatchAsync(context, bytes, CancellationToken.None);
        Assert.NotNull(frame);

        var reader = new KafkaReader(frame.ToArray());
        var responseHeader = new ResponseHeader();
        responseHeader.Read(ref reader, ApiHeaderVersions.ResponseHeaderVersion(key, version));
        Assert.Equal(42, responseHeader.CorrelationId);
        var response = new TResponse();
        response.Read(ref reader, version);
        Assert.True(reader.End, "the response has trailing bytes");
        return response;
    }

    public Task<CreateTopicsResponse> CreateTopic(string name, int partitions = 1, short version = 7) =>
        Send<CreateTopicsResponse>(new CreateTopicsRequest
        {
            Topics = [new CreateTopicsRequest.CreatableTopic { Name = name, NumPartitions = partitions, ReplicationFactor = 1 }],
        }, version);

    public ValueTask DisposeAsync() => Stack.DisposeAsync();
}
