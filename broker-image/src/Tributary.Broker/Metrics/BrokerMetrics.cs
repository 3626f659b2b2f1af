using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Tributary.Broker.Network;
using Tributary.Protocol.Messages;

namespace Tributary.Broker.Metrics;

/// <summary>
/// The broker's predefined metrics, named as the Strimzi/JMX-exporter conventions name Kafka's
/// (so existing Grafana dashboards and alerts work), plus the network server's hooks. Handlers
/// increment the public instruments; per-topic/partition children should be cached by the caller.
/// </summary>
public sealed class BrokerMetrics : INetworkObserver
{
    /// <summary>Latency buckets in seconds: sub-millisecond produce up to long-poll fetches and slow rebalances.</summary>
    public static readonly IReadOnlyList<double> LatencyBuckets =
        [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    // Kafka's api keys are small non-negative numbers; children are cached per key for a lock-free hot path.
    private const int CachedApiKeys = 128;

    private readonly Func<short, string> _apiName;
    private readonly ICounter?[] _requestsByKey = new ICounter?[CachedApiKeys];
    private readonly IHistogram?[] _latencyByKey = new IHistogram?[CachedApiKeys];
    private readonly ConcurrentDictionary<string, ListenerInstruments> _listeners = new(StringComparer.Ordinal);

    public BrokerMetrics(IMetricsRegistry registry, Func<short, string>? apiName = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        Registry = registry;
        _apiName = apiName ?? DefaultApiName;

        BytesIn = registry.CreateCounter("kafka_server_brokertopicmetrics_bytesin_total", "Bytes of record batches appended by producers.");
        BytesOut = registry.CreateCounter("kafka_server_brokertopicmetrics_bytesout_total", "Bytes of record batches sent to consumers and followers.");
        MessagesIn = registry.CreateCounter("kafka_server_brokertopicmetrics_messagesin_total", "Records appended by producers.");
        BytesRejected = registry.CreateCounter("kafka_server_brokertopicmetrics_bytesrejected_total", "Bytes of produce requests rejected (too large, invalid).");
        FailedProduceRequests = registry.CreateCounter("kafka_server_brokertopicmetrics_failedproducerequests_total", "Produce partition requests that failed.");
        FailedFetchRequests = registry.CreateCounter("kafka_server_brokertopicmetrics_failedfetchrequests_total", "Fetch partition requests that failed.");
        TopicBytesIn = registry.CreateCounter("kafka_server_brokertopicmetrics_topic_bytesin_total", "Bytes appended by producers, per topic.", "topic");
        TopicBytesOut = registry.CreateCounter("kafka_server_brokertopicmetrics_topic_bytesout_total", "Bytes sent to consumers, per topic.", "topic");
        TopicMessagesIn = registry.CreateCounter("kafka_server_brokertopicmetrics_topic_messagesin_total", "Records appended by producers, per topic.", "topic");

        Requests = registry.CreateCounter("kafka_network_requestmetrics_requests_total", "Requests received, per API.", "request");
        RequestErrors = registry.CreateCounter("kafka_network_requestmetrics_errors_total", "Error codes returned, per API and error name.", "request", "error");
        RequestLatency = registry.CreateHistogram("kafka_network_requestmetrics_request_duration_seconds",
            "Time from a request's arrival to its response being queued (includes long-poll waits), per API.", LatencyBuckets, "request");

        Connections = registry.CreateGauge("kafka_server_socketservermetrics_connection_count", "Open client connections, per listener.", "listener");
        ConnectionsCreated = registry.CreateCounter("kafka_server_socketservermetrics_connection_creation_total", "Connections accepted, per listener.", "listener");
        ConnectionsClosed = registry.CreateCounter("kafka_server_socketservermetrics_connection_close_total", "Connections closed, per listener and reason.", "listener", "reason");
        NetworkBytesIn = registry.CreateCounter("kafka_server_socketservermetrics_incoming_byte_total", "Request bytes read from sockets, per listener.", "listener");
        NetworkBytesOut = registry.CreateCounter("kafka_server_socketservermetrics_outgoing_byte_total", "Response bytes queued to sockets, per listener.", "listener");

        PartitionCount = registry.CreateGauge("kafka_server_replicamanager_partitioncount", "Partitions with a replica on this broker.").WithLabels();
        LeaderCount = registry.CreateGauge("kafka_server_replicamanager_leadercount", "Partitions led by this broker.").WithLabels();
        UnderReplicatedPartitions = registry.CreateGauge("kafka_server_replicamanager_underreplicatedpartitions", "Led partitions whose ISR is smaller than the replica set.").WithLabels();
        UnderMinIsrPartitions = registry.CreateGauge("kafka_server_replicamanager_underminisrpartitioncount", "Led partitions whose ISR is below min.insync.replicas.").WithLabels();
        OfflinePartitions = registry.CreateGauge("kafka_controller_kafkacontroller_offlinepartitionscount", "Partitions without an available leader (reported by the active controller).").WithLabels();
        ActiveController = registry.CreateGauge("kafka_controller_kafkacontroller_activecontrollercount", "1 on the active controller, else 0.").WithLabels();
        IsrShrinks = registry.CreateCounter("kafka_server_replicamanager_isrshrinks_total", "ISR shrinks committed for partitions led by this broker.").WithLabels();
        IsrExpands = registry.CreateCounter("kafka_server_replicamanager_isrexpands_total", "ISR expansions committed for partitions led by this broker.").WithLabels();
        LogSize = registry.CreateGauge("kafka_log_log_size", "Bytes on disk of a partition's log.", "topic", "partition");

        var process = Process.GetCurrentProcess();
        registry.CreateCallbackCounter("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.",
            () => { process.Refresh(); return process.TotalProcessorTime.TotalSeconds; });
        registry.CreateCallbackGauge("process_resident_memory_bytes", "Resident memory size in bytes.", () => { process.Refresh(); return process.WorkingSet64; });
        registry.CreateCallbackGauge("process_start_time_seconds", "Start time of the process since the Unix epoch in seconds.",
            () => new DateTimeOffset(process.StartTime.ToUniversalTime()).ToUnixTimeMilliseconds() / 1000.0);
        registry.CreateCallbackGauge("dotnet_gc_heap_size_bytes", "Managed heap size after the last collection.", () => GC.GetGCMemoryInfo().HeapSizeBytes);
        registry.CreateCallbackGauge("dotnet_threadpool_threads", "Thread-pool threads.", () => ThreadPool.ThreadCount);

        // The names prometheus-net's runtime collector uses, so existing .NET dashboards work.
        registry.CreateCallbackCounter("dotnet_collection_count_total", "Garbage collections since the process started, by generation.", ["generation"],
            () => Enumerable.Range(0, GC.MaxGeneration + 1).Select(g => new MetricSample([g.ToString(CultureInfo.InvariantCulture)], GC.CollectionCount(g))));
        registry.CreateCallbackCounter("dotnet_gc_allocated_bytes_total", "Bytes allocated on the managed heap since the process started.",
            () => GC.GetTotalAllocatedBytes());
        registry.CreateCallbackCounter("dotnet_gc_pause_seconds_total", "Time the runtime paused threads for garbage collection.",
            () => GC.GetTotalPauseDuration().TotalSeconds);
    }

    public IMetricsRegistry Registry { get; }

    public IMetricFamily<ICounter> BytesIn { get; }
    public IMetricFamily<ICounter> BytesOut { get; }
    public IMetricFamily<ICounter> MessagesIn { get; }
    public IMetricFamily<ICounter> BytesRejected { get; }
    public IMetricFamily<ICounter> FailedProduceRequests { get; }
    public IMetricFamily<ICounter> FailedFetchRequests { get; }
    public IMetricFamily<ICounter> TopicBytesIn { get; }
    public IMetricFamily<ICounter> TopicBytesOut { get; }
    public IMetricFamily<ICounter> TopicMessagesIn { get; }
    public IMetricFamily<ICounter> Requests { get; }
    public IMetricFamily<ICounter> RequestErrors { get; }
    public IMetricFamily<IHistogram> RequestLatency { get; }
    public IMetricFamily<IGauge> Connections { get; }
    public IMetricFamily<ICounter> ConnectionsCreated { get; }
    public IMetricFamily<ICounter> ConnectionsClosed { get; }
    public IMetricFamily<ICounter> NetworkBytesIn { get; }
    public IMetricFamily<ICounter> NetworkBytesOut { get; }
    public IGauge PartitionCount { get; }
    public IGauge LeaderCount { get; }
    public IGauge UnderReplicatedPartitions { get; }
    public IGauge UnderMinIsrPartitions { get; }
    public IGauge OfflinePartitions { get; }
    public IGauge ActiveController { get; }
    public ICounter IsrShrinks { get; }
    public ICounter IsrExpands { get; }

    /// <summary>Per partition: labels topic, partition. Storage sets it; remove the child when a partition goes.</summary>
    public IMetricFamily<IGauge> LogSize { get; }

    /// <summary>Kafka's name for an api key (<c>Produce</c>, <c>ApiVersions</c>...), the number for unknown keys.</summary>
    public static string DefaultApiName(short apiKey) =>
        Enum.IsDefined((ApiKey)apiKey) ? ((ApiKey)apiKey).ToString() : apiKey.ToString(CultureInfo.InvariantCulture);

    /// <summary>The Kafka name of an api key as used in the <c>request</c> label.</summary>
    public string ApiName(short apiKey) => _apiName(apiKey);

    public void ConnectionOpened(ConnectionContext connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var l = ForListener(connection.ListenerName);
        l.Connections.Inc();
        l.Created.Inc();
    }

    public void ConnectionClosed(ConnectionContext connection, CloseReason reason)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ForListener(connection.ListenerName).Connections.Dec();
        ConnectionsClosed.WithLabels(connection.ListenerName, reason.ToString()).Inc();
    }

    public void RequestReceived(in RequestContext request, int bytes)
    {
        ForListener(request.ListenerName).BytesIn.Inc(bytes);
        RequestsFor(request.ApiKey).Inc();
    }

    public void RequestCompleted(in RequestContext request, double elapsedSeconds, int responseBytes)
    {
        LatencyFor(request.ApiKey).Observe(elapsedSeconds);
        if (responseBytes > 0)
        {
            ForListener(request.ListenerName).BytesOut.Inc(responseBytes);
        }
    }

    private ICounter RequestsFor(short apiKey) =>
        (uint)apiKey < CachedApiKeys
            ? _requestsByKey[apiKey] ??= Requests.WithLabels(_apiName(apiKey))
            : Requests.WithLabels(_apiName(apiKey));

    private IHistogram LatencyFor(short apiKey) =>
        (uint)apiKey < CachedApiKeys
            ? _latencyByKey[apiKey] ??= RequestLatency.WithLabels(_apiName(apiKey))
            : RequestLatency.WithLabels(_apiName(apiKey));

    private ListenerInstruments ForListener(string listener) =>
        _listeners.TryGetValue(listener, out var found)
            ? found
            : _listeners.GetOrAdd(listener, name => new ListenerInstruments(
                Connections.WithLabels(name), ConnectionsCreated.WithLabels(name), NetworkBytesIn.WithLabels(name), NetworkBytesOut.WithLabels(name)));

    private sealed record ListenerInstruments(IGauge Connections, ICounter Created, ICounter BytesIn, ICounter BytesOut);
}
