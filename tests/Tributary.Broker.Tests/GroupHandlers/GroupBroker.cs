using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Tributary.Broker.Config;
using Tributary.Broker.Coordination;
using Tributary.Broker.Groups;
using Tributary.Broker.Handlers.Groups;
using Tributary.Broker.Metadata;
using Tributary.Broker.Network;
using Tributary.Broker.Requests;
using Tributary.Protocol.Messages;
using Tributary.Protocol.Primitives;

namespace Tributary.Broker.Tests.GroupHandlers;

/// <summary>
/// The group coordinator service and every group handler behind a real <see cref="RequestDispatcher"/>,
/// over an in-memory <c>__consumer_offsets</c> log, a hand-driven clock and a test metadata view.
/// Requests are serialized to frames and responses parsed back, as on the wire.
/// </summary>
public sealed class GroupBroker : IAsyncDisposable
{
    public const int NodeId = 1;
    public const int OffsetsPartitions = 3;
    public const string Topic = "orders";
    public const int InitialDelayMs = 3_000;

    private int _correlationId;

    private GroupBroker(TestMetadataView metadata, MemoryTopicLog log, TimerClock clock, GroupCoordinatorConfig config)
    {
        Metadata = metadata;
        Log = log;
        Clock = clock;
        Config = config;
        Service = NewService();
        Dispatcher = NewDispatcher(Service);
    }

    public TestMetadataView Metadata { get; }

    public MemoryTopicLog Log { get; }

    public TimerClock Clock { get; }

    public GroupCoordinatorConfig Config { get; }

    public GroupCoordinatorService Service { get; private set; }

    public RequestDispatcher Dispatcher { get; private set; }

    /// <summary>Endpoint lookups FindCoordinator made: (node id, listener).</summary>
    public List<(int NodeId, string Listener)> Resolved { get; } = [];

    /// <summary>Internal topics FindCoordinator asked to create.</summary>
    public List<string> CreatedTopics { get; } = [];

    public static async Task<GroupBroker> StartAsync(MetadataImage? image = null, MemoryTopicLog? log = null, GroupCoordinatorConfig? config = null, bool waitForLoad = true)
    {
        var broker = new GroupBroker(
            new TestMetadataView(image ?? TestMetadataView.Image(OffsetsPartitions, NodeId, (Topic, 3))),
            log ?? new MemoryTopicLog(),
            new TimerClock(),
            config ?? new GroupCoordinatorConfig { OffsetsTopicPartitions = OffsetsPartitions, InitialRebalanceDelayMs = InitialDelayMs });
        broker.Service.Start();
        if (waitForLoad)
        {
            await broker.WaitForLoadsAsync();
        }

        return broker;
    }

    public async Task WaitForLoadsAsync()
    {
        for (var p = 0; p < Service.PartitionCount; p++)
        {
            await Service.WhenLoadedAsync(p).WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    /// <summary>Stops the service and starts a new one over the same log and metadata, as after a broker restart.</summary>
    public async Task RestartAsync()
    {
        await Service.DisposeAsync();
        Service = NewService();
        Dispatcher = NewDispatcher(Service);
        Service.Start();
        await WaitForLoadsAsync();
    }

    private GroupCoordinatorService NewService() => new(
        new GroupCoordinatorOptions { NodeId = NodeId, Coordinator = Config, CommitTimeoutMs = 5_000, LoadRetryBackoffMs = 100 },
        Metadata,
        Log,
        Clock,
        NullLogger<GroupCoordinatorService>.Instance);

    private RequestDispatcher NewDispatcher(GroupCoordinatorService service)
    {
        IRequestHandler[] handlers =
        [
            new FindCoordinatorHandler(Metadata, ResolveEndpoint, CreateTopicAsync),
            new JoinGroupHandler(service),
            new SyncGroupHandler(service),
            new HeartbeatHandler(service),
            new LeaveGroupHandler(service),
            new OffsetCommitHandler(service, Metadata),
            new OffsetFetchHandler(service),
            new ListGroupsHandler(service),
            new DescribeGroupsHandler(service),
            new DeleteGroupsHandler(service),
            new OffsetDeleteHandler(service, Metadata),
        ];
        return new RequestDispatcher(new HandlerTable(handlers), NullLogger<RequestDispatcher>.Instance);
    }

    private (string Host, int Port)? ResolveEndpoint(BrokerImage broker, string listener, EndPoint? local)
    {
        lock (Resolved)
        {
            Resolved.Add((broker.Id, listener));
        }

        return broker.Endpoint(listener) is { } e ? (e.Host, e.Port) : null;
    }

    private ValueTask CreateTopicAsync(string topic, CancellationToken ct)
    {
        lock (CreatedTopics)
        {
            CreatedTopics.Add(topic);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Serializes <paramref name="request"/> as a frame, dispatches it and parses the response.</summary>
    public Task<TResponse> SendAsync<TResponse>(IApiRequest request, short version, CancellationToken ct = default)
        where TResponse : IApiResponse, new()
    {
        var key = request.ApiKey;
        var header = new RequestHeader
        {
            RequestApiKey = (short)key,
            RequestApiVersion = version,
            CorrelationId = Interlocked.Increment(ref _correlationId),
            ClientId = "test-client",
        };
        var headerVersion = ApiHeaderVersions.RequestHeaderVersion(key, version);
        var frame = new byte[header.Size(headerVersion) + request.Size(version)];
        var writer = new KafkaWriter(frame);
        header.Write(ref writer, headerVersion);
        request.Write(ref writer, version);

        var connection = new ConnectionContext(1, "PLAINTEXT", SecurityProtocol.Plaintext, new IPEndPoint(IPAddress.Loopback, 40000), null);
        var context = new RequestContext(connection, new RequestHeaderPrefix((short)key, version, header.CorrelationId), 0);
        return ParseAsync<TResponse>(Dispatcher.DispatchAsync(context, frame, ct), key, version, header.CorrelationId);
    }

    private static async Task<TResponse> ParseAsync<TResponse>(ValueTask<ResponseFrame?> pending, ApiKey key, short version, int correlationId)
        where TResponse : IApiResponse, new()
    {
        using var frame = await pending ?? throw new InvalidOperationException("no response");
        var bytes = frame.ToArray();
        var reader = new KafkaReader(bytes);
        var responseHeader = new ResponseHeader();
        responseHeader.Read(ref reader, ApiHeaderVersions.ResponseHeaderVersion(key, version));
        if (responseHeader.CorrelationId != correlationId)
        {
            throw new InvalidOperationException($"correlation id {responseHeader.CorrelationId}, expected {correlationId}");
        }

        var response = new TResponse();
        response.Read(ref reader, version);
        return response;
    }

    /// <summary>Moves the clock in steps until every task completed (timers drive rebalances).</summary>
    public async Task DriveAsync(long stepMs, params Task[] tasks)
    {
        for (var i = 0; i < 200 && !tasks.All(t => t.IsCompleted); i++)
        {
            Clock.Advance(stepMs);
            await Task.WhenAny(Task.WhenAll(tasks), Task.Delay(20));
        }

        await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(10));
    }

    public async ValueTask DisposeAsync()
    {
        await Service.DisposeAsync();
        Log.ReadGate?.Set();
    }
}
