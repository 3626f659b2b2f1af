using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Tributary.Broker.Config;
using Tributary.Broker.FetchSessions;
using Tributary.Broker.Handlers.Data;
using Tributary.Broker.Metadata;
using Tributary.Broker.Metrics;
using Tributary.Broker.Network;
using Tributary.Broker.Partitions;
using Tributary.Broker.Requests;
using Tributary.Protocol.Messages;
using Tributary.Protocol.Primitives;
using Tributary.Storage;
using Xunit;

namespace Tributary.Broker.Tests.Data;

/// <summary>
/// The data-path services of one broker over a temp log dir, wired to a real
/// <see cref="RequestDispatcher"/>: tests serialize requests, dispatch them, and parse responses.
/// </summary>
internal sealed class DataBroker : IAsyncDisposable
{
    public const int NodeId = 0;

    private bool _ownsDirectory;
    private int _correlationId;
    private long _nextProducerId = 1000;
    private bool _disposed;

    private DataBroker(string directory, TestMetadataView metadata, bool ownsDirectory, int sessionSlots, Func<CancellationToken, ValueTask<(long, int)>>? allocator)
    {
        Directory = directory;
        _ownsDirectory = ownsDirectory;
        Metadata = metadata;
        Logs = new LogManager(new LogManagerOptions { LogDirs = [directory], TopicConfig = t => Images.ResolveConfig(metadata.Current, t) });
        Logs.Startup();
        Replicas = new ReplicaManager(new ReplicaManagerOptions { NodeId = NodeId, DefaultMinInsyncReplicas = 1 }, Logs, metadata, Images.ResolveConfig, NullLogger<ReplicaManager>.Instance);
        Sessions = new FetchSessionCache(sessionSlots);
        Metrics = new BrokerMetrics(new MetricsRegistry());
        var table = new HandlerTable(
        [
            new ProduceHandler(Replicas, metadata, Metrics),
            new FetchHandler(Replicas, metadata, Sessions, Metrics),
            new ListOffsetsHandler(Replicas, metadata),
            new DeleteRecordsHandler(Replicas, metadata),
            new InitProducerIdHandler(allocator ?? AllocateBlock, NullLogger<InitProducerIdHandler>.Instance),
        ]);
        Dispatcher = new RequestDispatcher(table, NullLogger<RequestDispatcher>.Instance);
    }

    public string Directory { get; }

    public TestMetadataView Metadata { get; }

    public LogManager Logs { get; }

    public ReplicaManager Replicas { get; }

    public FetchSessionCache Sessions { get; }

    public BrokerMetrics Metrics { get; }

    public RequestDispatcher Dispatcher { get; }

    public int BlocksAllocated { get; private set; }

    public static DataBroker Start(MetadataImage? image = null, int sessionSlots = FetchSessionCache.DefaultMaxSlots, Func<CancellationToken, ValueTask<(long, int)>>? allocator = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "tributary-data-" + Guid.NewGuid().ToString("N"));
        return new DataBroker(directory, new TestMetadataView(image ?? Images.Empty()), ownsDirectory: true, sessionSlots, allocator);
    }

    /// <summary>Shuts this broker down cleanly and opens a new one over the same log dir and metadata.</summary>
    public async Task<DataBroker> RestartAsync(Action? whileStopped = null, MetadataImage? image = null)
    {
        await ShutdownAsync();
        whileStopped?.Invoke();
        _ownsDirectory = false;
        return new DataBroker(Directory, new TestMetadataView(image ?? Metadata.Current), ownsDirectory: true, FetchSessionCache.DefaultMaxSlots, null);
    }

    public Partition Partition(string topic, int partition = 0) =>
        Replicas.GetPartition(topic, partition) ?? throw new InvalidOperationException($"{topic}-{partition} is not hosted");

    public void CreateTopic(string name, int partitions = 1, Dictionary<string, string>? configs = null) =>
        Metadata.Publish(Metadata.Current.WithTopic(name, partitions, configs));

    public async Task<TResponse> SendAsync<TResponse>(IApiRequest request, short version, CancellationToken ct = default)
        where TResponse : IApiResponse, new()
    {
        var (header, pending) = Dispatch(request, version, ct);
        using var frame = await pending ?? throw new InvalidOperationException("no response");
        var reader = new KafkaReader(frame.ToArray());
        var responseHeader = new ResponseHeader();
        responseHeader.Read(ref reader, ApiHeaderVersions.ResponseHeaderVersion(request.ApiKey, version));
        Assert.Equal(header.CorrelationId, responseHeader.CorrelationId);
        var response = new TResponse();
        response.Read(ref reader, version);
        Assert.True(reader.End, "the whole response was read");
        return response;
    }

    /// <summary>Dispatches without parsing (for acks=0 and for requests left pending).</summary>
    public (RequestHeader Header, ValueTask<ResponseFrame?> Pending) Dispatch(IApiRequest request, short version, CancellationToken ct = default)
    {
        var header = new RequestHeader
        {
            RequestApiKey = (short)request.ApiKey,
            RequestApiVersion = version,
            CorrelationId = Interlocked.Increment(ref _correlationId),
            ClientId = "data-tests",
        };
        var headerVersion = ApiHeaderVersions.RequestHeaderVersion(request.ApiKey, version);
        var frame = new byte[header.Size(headerVersion) + request.Size(version)];
        var writer = new KafkaWriter(frame);
        header.Write(ref writer, headerVersion);
        request.Write(ref writer, version);
        var connection = new ConnectionContext(1, "PLAINTEXT", SecurityProtocol.Plaintext, new IPEndPoint(IPAddress.Loopback, 40000), null);
        var context = new RequestContext(connection, new RequestHeaderPrefix((short)request.ApiKey, version, header.CorrelationId), 0);
        return (header, Dispatcher.DispatchAsync(context, frame, ct));
    }

    public async ValueTask DisposeAsync()
    {
        await ShutdownAsync();
        if (_ownsDirectory && System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    private async Task ShutdownAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await Replicas.DisposeAsync();
        await Logs.DisposeAsync();
    }

    private ValueTask<(long, int)> AllocateBlock(CancellationToken ct)
    {
        BlocksAllocated++;
        var start = _nextProducerId;
        _nextProducerId += 10;
        return ValueTask.FromResult((start, 10));
    }
}
