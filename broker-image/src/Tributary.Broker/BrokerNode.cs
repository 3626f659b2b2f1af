using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;
using Tributary.Broker.Cluster;
using Tributary.Broker.Config;
using Tributary.Broker.Coordination;
using Tributary.Broker.FetchSessions;
using Tributary.Broker.Handlers.Admin;
using Tributary.Broker.Handlers.Controller;
using Tributary.Broker.Handlers.Data;
using Tributary.Broker.Handlers.Groups;
using Tributary.Broker.Handlers.Quorum;
using Tributary.Broker.Handlers.Security;
using Tributary.Broker.Metadata;
using Tributary.Broker.Metadata.Controller;
using Tributary.Broker.Metrics;
using Tributary.Broker.Network;
using Tributary.Broker.Partitions;
using Tributary.Broker.Quorum;
using Tributary.Broker.Replication;
using Tributary.Broker.Requests;
using Tributary.Broker.Security;
using Tributary.Broker.Topics;
using Tributary.Protocol;
using Tributary.Protocol.Acls;
using Tributary.Storage;

namespace Tributary.Broker;

/// <summary>
/// The composition root of one node: storage, the metadata store and controller, the replica
/// manager, the group coordinator and every request handler, wired in dependency order.
/// </summary>
/// <remarks>
/// Two shapes. Without <c>controller.quorum.voters</c> the node is a single-node cluster: metadata is
/// committed to its local log and it registers itself (<see cref="LocalMetadataStore"/>). With voters
/// it is one node of a KRaft-style cluster (<see cref="BrokerNodeCluster"/>): metadata lives in the
/// Raft quorum, brokers register and heartbeat with the active controller, followers replicate.
/// Start-up is <see cref="OpenAsync"/> (storage recovery and metadata replay, before any listener
/// opens), then the caller starts the socket server on <see cref="Dispatcher"/>, calls
/// <see cref="AttachListeners"/> and <see cref="StartAsync"/> (joins the quorum, registers). Shutdown
/// is <see cref="ShutdownAsync"/> (controlled shutdown, quorum resignation) while the listeners are
/// still open, then <see cref="DisposeAsync"/> after they closed.
/// </remarks>
public sealed class BrokerNode : IAsyncDisposable
{
    private readonly LogManager _logs;
    private readonly IMetadataView _metadata;
    private readonly LocalMetadataStore? _localStore;
    private readonly QuorumController? _controller;
    private readonly IClusterController _admin;
    private readonly BrokerNodeCluster? _cluster;
    private readonly ReplicaManager _replicas;
    private readonly ReplicaFetcherManager? _fetchers;
    private readonly GroupCoordinatorService _groups;
    private readonly BrokerStateMetrics _stateMetrics;
    private Func<string, IPEndPoint?> _boundEndpoint = _ => null;
    private int _disposed;

    private BrokerNode(BrokerConfig config, ILoggerFactory loggers, BrokerMetrics metrics, LogManager logs, IMetadataView metadata,
        LocalMetadataStore? localStore, BrokerNodeCluster? cluster, QuorumController? controller, TopicConfigResolver resolver, TimeProvider time)
    {
        Config = config;
        _logs = logs;
        _metadata = metadata;
        _localStore = localStore;
        _cluster = cluster;
        _controller = controller;
        _admin = cluster?.Admin ?? controller ?? throw new InvalidOperationException("a node needs a controller or a cluster");

        _replicas = new ReplicaManager(
            new ReplicaManagerOptions
            {
                NodeId = config.NodeId,
                DefaultMinInsyncReplicas = config.MinInsyncReplicas,
                MinInsyncReplicasResolver = resolver.MinInsyncReplicas,
                Time = time,
                ReplicaLagTimeMaxMs = config.ReplicaLagTimeMaxMs,
                IsrSender = cluster is null ? null : new AlterPartitionSender(config.NodeId, cluster.Channel, metadata),
                OnIsrShrink = () => metrics.IsrShrinks.Inc(),
                OnIsrExpand = () => metrics.IsrExpands.Inc(),
            },
            logs, metadata, resolver.Resolve, loggers.CreateLogger<ReplicaManager>());
        ReplicationThrottle? throttle = null;
        if (cluster is not null)
        {
            throttle = new ReplicationThrottle(config.NodeId, metadata, time);
            _fetchers = new ReplicaFetcherManager(ReplicaFetcherOptions.FromBrokerConfig(config) with { Time = time }, metadata, loggers, throttle);
            _replicas.AttachFetchers(_fetchers);
        }

        _groups = new GroupCoordinatorService(GroupCoordinatorOptions.FromBrokerConfig(config), metadata, _replicas, time,
            loggers.CreateLogger<GroupCoordinatorService>());

        _stateMetrics = new BrokerStateMetrics(metrics, metadata, _replicas, config.NodeId, resolver.MinInsyncReplicas, time);
        var endpoints = new AdvertisedEndpoints(config.NodeId, name => _boundEndpoint(name));
        var catalog = new BrokerConfigCatalog(config, resolver);
        var sessions = new FetchSessionCache(time: time);
        var authz = config.AuthorizerClassName.Length == 0
            ? RequestAuthorizer.Disabled
            : new RequestAuthorizer(new Authorizer(config.SuperUsers, config.AllowEveryoneIfNoAclFound), metadata);
        HandlerTable? table = null;
        var handlers = new List<IRequestHandler>
        {
            new ApiVersionsHandler(() => table!),
            // Topics, configs and cluster metadata.
            new MetadataHandler(metadata, _admin, config, endpoints, authz),
            new CreateTopicsHandler(_admin, authz),
            new DeleteTopicsHandler(_admin, authz, metadata),
            new CreatePartitionsHandler(_admin, authz),
            new DescribeConfigsHandler(metadata, config, resolver, catalog, authz),
            new AlterConfigsHandler(_admin, authz),
            new IncrementalAlterConfigsHandler(_admin, authz),
            new DescribeClusterHandler(metadata, endpoints, authz),
            new DescribeLogDirsHandler(config, logs, authz),
            // ACLs (KIP-140), kept in the metadata log.
            new DescribeAclsHandler(metadata, authz),
            new CreateAclsHandler(_admin, authz),
            new DeleteAclsHandler(_admin, authz),
            // The data path.
            new ProduceHandler(_replicas, metadata, metrics, time, authz),
            new FetchHandler(_replicas, metadata, sessions, metrics, config.FetchMaxBytes, time,
                cluster is null ? null : new QuorumFetchHandler(cluster.Store.Driver), throttle, authz),
            new ListOffsetsHandler(_replicas, metadata, authz),
            new DeleteRecordsHandler(_replicas, metadata, authz),
            new OffsetForLeaderEpochHandler(_replicas, metadata, authz),
            new InitProducerIdHandler(AllocateProducerIdsAsync, loggers.CreateLogger<InitProducerIdHandler>(), time: time, authorizer: authz),
            // Consumer groups.
            new FindCoordinatorHandler(metadata, endpoints.Resolve, cluster is null ? null : CreateOffsetsTopicAsync, authz),
            new JoinGroupHandler(_groups, authz),
            new SyncGroupHandler(_groups, authz),
            new HeartbeatHandler(_groups, authz),
            new LeaveGroupHandler(_groups, authz),
            new OffsetCommitHandler(_groups, metadata, authz),
            new OffsetFetchHandler(_groups, authz),
            new OffsetDeleteHandler(_groups, metadata, authz),
            new ListGroupsHandler(_groups, authz),
            new DescribeGroupsHandler(_groups, authz),
            new DeleteGroupsHandler(_groups, authz),
        };
        if (cluster is null)
        {
            handlers.Add(Guard(new DescribeQuorumHandler(metadata, config, time), AclOperation.Describe));
        }
        else
        {
            // The metadata quorum (KIP-595) and the controller's APIs.
            var driver = cluster.Store.Driver;
            handlers.Add(Guard(new VoteHandler(driver), AclOperation.ClusterAction));
            handlers.Add(Guard(new BeginQuorumEpochHandler(driver), AclOperation.ClusterAction));
            handlers.Add(Guard(new EndQuorumEpochHandler(driver), AclOperation.ClusterAction));
            handlers.Add(Guard(new FetchSnapshotHandler(driver), AclOperation.ClusterAction));
            handlers.Add(Guard(new QuorumDescribeQuorumHandler(driver, config, cluster.Channel), AclOperation.Describe));
        }

        if (controller is not null)
        {
            // Brokers send these to the active controller themselves (the channel retries NOT_CONTROLLER).
            handlers.Add(Guard(new BrokerRegistrationHandler(controller), AclOperation.ClusterAction));
            handlers.Add(Guard(new BrokerHeartbeatHandler(controller), AclOperation.ClusterAction));
            handlers.Add(Guard(new AlterPartitionHandler(controller), AclOperation.ClusterAction));
            handlers.Add(Guard(new AllocateProducerIdsHandler(controller), AclOperation.ClusterAction));
        }

        // Clients send these to any broker: served here when this node is the active controller,
        // forwarded to it otherwise.
        IActiveController? elections = cluster is null
            ? controller
            : controller is null
                ? new ForwardingActiveController(cluster.Channel)
                : new RoutingActiveController(controller, new ForwardingActiveController(cluster.Channel), cluster.Store);
        if (elections is not null)
        {
            handlers.Add(Guard(new ElectLeadersHandler(elections), AclOperation.Alter));
            handlers.Add(Guard(new AlterPartitionReassignmentsHandler(elections), AclOperation.Alter));
            handlers.Add(Guard(new ListPartitionReassignmentsHandler(elections), AclOperation.Describe));
        }

        table = new HandlerTable(handlers);

        // Kafka guards these APIs with one cluster-level operation each; nothing is wrapped without an authorizer.
        IRequestHandler Guard(IRequestHandler handler, AclOperation operation) => ClusterAuthorizedHandler.Guard(handler, authz, operation);
        IRequestDispatcher dispatcher = new RequestDispatcher(table, loggers.CreateLogger<RequestDispatcher>());
        if (cluster is not null)
        {
            dispatcher = new ReadinessGatedDispatcher(dispatcher, cluster.Ready, config.ControllerListenerNames);
        }

        Dispatcher = dispatcher;
    }

    public BrokerConfig Config { get; }

    public IRequestDispatcher Dispatcher { get; }

    public IMetadataView Metadata => _metadata;

    /// <summary>The metadata quorum's leadership as this node sees it.</summary>
    public IQuorumView Quorum => (IQuorumView?)_cluster?.Store ?? _localStore!;

    /// <summary>
    /// Completes when the node serves clients: at once for a single node; for a cluster broker once the
    /// controller unfenced it (it caught up with the metadata log); for a dedicated controller once it
    /// joined the quorum.
    /// </summary>
    public Task Ready => _cluster?.Ready ?? Task.CompletedTask;

    /// <summary>Opens storage and replays metadata; a single node also bootstraps its cluster and starts.</summary>
    public static async Task<BrokerNode> OpenAsync(BrokerConfig config, ILoggerFactory loggers, BrokerMetrics metrics, CancellationToken ct, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(loggers);
        time ??= TimeProvider.System;
        var resolver = new TopicConfigResolver(config);
        IMetadataView? view = null;
        BrokerNode? built = null;
        var logs = new LogManager(BrokerStorageOptions.From(config) with
        {
            TopicConfig = topic => view is null ? null : resolver.Resolve(view.Current, topic),
            Time = time,

            // Kafka cleans no further than the last stable offset, which is at most the high
            // watermark: what is not yet committed may still be truncated away. A log that no
            // hosted partition owns (yet) is not cleaned.
            CleanableUpperBound = tp => built?._replicas.GetPartition(tp.Topic, tp.Partition)?.HighWatermark ?? 0,
        });
        BrokerNode node;
        try
        {
            if (IsSingleNode(config))
            {
                var store = LocalMetadataStore.Open(config, logs, loggers.CreateLogger<LocalMetadataStore>(), time);
                view = store;
                var controller = new QuorumController(config, store, resolver, loggers.CreateLogger<QuorumController>());
                node = new BrokerNode(config, loggers, metrics, logs, store, store, null, controller, resolver, time);
            }
            else
            {
                var cluster = BrokerNodeCluster.Open(config, logs, resolver, loggers, time);
                view = cluster.Store;
                node = new BrokerNode(config, loggers, metrics, logs, cluster.Store, null, cluster, cluster.Controller, resolver, time);
            }
        }
        catch
        {
            try
            {
                await logs.DisposeAsync().ConfigureAwait(false);
            }
#pragma warning disable CA1031 // the open failure is what the caller must see, not a cleanup failure after it
            catch (Exception)
#pragma warning restore CA1031
            {
                // Nothing more to release.
            }

            throw;
        }

        try
        {
            node._replicas.Start();
            if (node._cluster is null)
            {
                await node._controller!.StartAsync(ct).ConfigureAwait(false);
            }

            node._groups.Start();
            built = node;
            logs.StartBackgroundTasks();
            return node;
        }
        catch
        {
            await node.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Without <c>controller.quorum.voters</c> a node is a cluster of its own: metadata commits are
    /// local fsynced appends and it registers itself. With voters, even one, it runs the Raft quorum
    /// as Kafka does: a lone voter may still serve other brokers (and dedicated controllers), which
    /// fetch the metadata log from it.
    /// </summary>
    public static bool IsSingleNode(BrokerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.QuorumVoters.Count == 0;
    }

    /// <summary>Lets advertised endpoints use the sockets the server actually bound.</summary>
    public void AttachListeners(Func<string, IPEndPoint?> boundEndpoint) => _boundEndpoint = boundEndpoint;

    /// <summary>
    /// With the listeners open: joins the metadata quorum, activates the controller role and registers
    /// the broker with the active controller. Returns at once; <see cref="Ready"/> tells when the
    /// broker is unfenced. Nothing to do for a single node.
    /// </summary>
    public async Task StartAsync(CancellationToken ct)
    {
        if (_cluster is null)
        {
            return;
        }

        await _cluster.StartAsync(_boundEndpoint, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// The first half of a clean stop, while the listeners still answer: a broker asks the controller
    /// to move its leaderships away (controlled shutdown), then the quorum leader hands over.
    /// </summary>
    public Task ShutdownAsync(TimeSpan timeout) => _cluster?.ShutdownAsync(timeout) ?? Task.CompletedTask;

    private async ValueTask<(long Start, int Length)> AllocateProducerIdsAsync(CancellationToken ct)
    {
        var epoch = _cluster?.BrokerEpoch
            ?? (_metadata.Current.Brokers.TryGetValue(Config.NodeId, out var self) ? self.Epoch : -1);
        var (error, block) = await _admin.AllocateProducerIdsAsync(Config.NodeId, epoch, ct).ConfigureAwait(false);
        if (error != ErrorCode.None)
        {
            throw new InvalidOperationException($"producer id allocation failed: {error}");
        }

        return (block.FirstId, block.Size);
    }

    /// <summary>
    /// FindCoordinator's lazy creation of <c>__consumer_offsets</c> in a cluster. Like Kafka, not before
    /// <c>offsets.topic.replication.factor</c> brokers are live: created early, the topic would keep a
    /// replication factor of 1 for ever. Until then the client hears COORDINATOR_NOT_AVAILABLE and retries.
    /// </summary>
    private async ValueTask CreateOffsetsTopicAsync(string topic, CancellationToken ct)
    {
        var live = _metadata.Current.LiveBrokers.Count();
        if (live < Config.OffsetsTopicReplicationFactor)
        {
            return;
        }

        await _admin.EnsureInternalTopicAsync(topic, Config.OffsetsTopicNumPartitions, Config.OffsetsTopicReplicationFactor,
            new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [TopicConfigDefinitions.CleanupPolicy] = "compact",
                [TopicConfigDefinitions.SegmentBytes] = Config.OffsetsTopicSegmentBytes.ToString(CultureInfo.InvariantCulture),
                [TopicConfigDefinitions.CompressionType] = "producer",
            }, ct).ConfigureAwait(false);
    }

    /// <summary>Clean shutdown: fetchers, coordinators, partitions (producer state), the quorum, then logs (flush + checkpoints).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _stateMetrics.Dispose();
        if (_fetchers is not null)
        {
            await _fetchers.DisposeAsync().ConfigureAwait(false);
        }

        await _groups.DisposeAsync().ConfigureAwait(false);
        await _replicas.DisposeAsync().ConfigureAwait(false);
        _controller?.Dispose();
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync().ConfigureAwait(false);
        }

        await _logs.DisposeAsync().ConfigureAwait(false);
    }
}
