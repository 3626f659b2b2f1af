using Microsoft.Extensions.Logging.Abstractions;
using Tributary.Broker.FetchSessions;
using Tributary.Broker.Handlers.Data;
using Tributary.Broker.Metadata;
using Tributary.Broker.Metrics;
using Tributary.Broker.Partitions;
using Tributary.Broker.Replication;
using Tributary.Broker.Requests;
using Tributary.Broker.Tests.Data;
using Tributary.Broker.Tests.Network;
using Tributary.Storage;

namespace Tributary.Broker.Tests.Replication;

/// <summary>
/// One broker of a replication test: its own log dir and metadata view, a replica manager with
/// the real AlterPartition sender (over the fake controller), the data handlers behind a real
/// socket server on loopback, and the replica fetcher manager.
/// </summary>
internal sealed class ReplicaNode : IAsyncDisposable
{
    private bool _disposed;

    private ReplicaNode(int nodeId, string directory, MetadataImage image, FakeControllerChannel controller, long lagMs)
    {
        NodeId = nodeId;
        Directory = directory;
        View = new TestMetadataView(image);
        Logs = new LogManager(new LogManagerOptions { LogDirs = [directory], TopicConfig = t => Images.ResolveConfig(View.Current, t) });
        Logs.Startup();
        Metrics = new BrokerMetrics(new MetricsRegistry());
        Replicas = new ReplicaManager(
            new ReplicaManagerOptions
            {
                NodeId = nodeId,
                DefaultMinInsyncReplicas = 1,
                ReplicaLagTimeMaxMs = lagMs,
                IsrSender = new AlterPartitionSender(nodeId, controller, View, TimeSpan.FromSeconds(10)),
                OnIsrShrink = () => Metrics.IsrShrinks.Inc(),
                OnIsrExpand = () => Metrics.IsrExpands.Inc(),
            },
            Logs, View, Images.ResolveConfig, NullLogger<ReplicaManager>.Instance);
        Replicas.Start();
        HandlerTable? table = null;
        table = new HandlerTable(
        [
            new ApiVersionsHandler(() => table!),
            new ProduceHandler(Replicas, View, Metrics),
            new FetchHandler(Replicas, View, new FetchSessionCache(), Metrics, throttle: new ReplicationThrottle(nodeId, View)),
            new ListOffsetsHandler(Replicas, View),
            new OffsetForLeaderEpochHandler(Replicas, View),
        ]);
        Server = TestServer.Start(new RequestDispatcher(table, NullLogger<RequestDispatcher>.Instance));
        Fetchers = new ReplicaFetcherManager(
            new ReplicaFetcherOptions { NodeId = nodeId, FetchWaitMaxMs = 200, FetchBackoffMs = 50, FetchMaxBytes = 64 * 1024 },
            View, NullLoggerFactory.Instance, new ReplicationThrottle(nodeId, View));
        Replicas.AttachFetchers(Fetchers);
    }

    public int NodeId { get; }

    public string Directory { get; }

    public TestMetadataView View { get; }

    public LogManager Logs { get; }

    public BrokerMetrics Metrics { get; }

    public ReplicaManager Replicas { get; }

    public ReplicaFetcherManager Fetchers { get; }

    public TestServer Server { get; }

    public int Port => Server.Port;

    public static ReplicaNode Start(int nodeId, string directory, MetadataImage image, FakeControllerChannel controller, long lagMs) =>
        new(nodeId, directory, image, controller, lagMs);

    public Partition? Partition(string topic, int partition = 0) => Replicas.GetPartition(topic, partition);

    /// <summary>The partition's whole log, as bytes.</summary>
    public byte[] LogBytes(string topic, int partition = 0)
    {
        var p = Partition(topic, partition) ?? throw new InvalidOperationException($"{topic}-{partition} not hosted on {NodeId}");
        using var stream = new MemoryStream();
        var offset = p.LogStartOffset;
        while (offset < p.LogEndOffset)
        {
            using var read = p.Log.Read(offset, 1 << 20, long.MaxValue, minOneBatch: true);
            if (read.Records.IsEmpty)
            {
                break;
            }

            stream.Write(read.Records.Span);
            var batches = Wire.Batches(read.Records);
            offset = batches[^1].LastOffset + 1;
        }

        return stream.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await Fetchers.DisposeAsync();
        await Server.DisposeAsync();
        await Replicas.DisposeAsync();
        await Logs.DisposeAsync();
    }
}
