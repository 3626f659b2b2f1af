using System.Net;
using Microsoft.Extensions.Logging;
using Tributary.Broker.Config;
using Tributary.Broker.Coordination;
using Tributary.Broker.FetchSessions;
using Tributary.Broker.Handlers.Admin;
using Tributary.Broker.Handlers.Data;
using Tributary.Broker.Handlers.Groups;
using Tributary.Broker.Metadata;
using Tributary.Broker.Metadata.Controller;
using Tributary.Broker.Metrics;
using Tributary.Broker.Network;
using Tributary.Broker.Partitions;
using Tributary.Broker.Requests;
using Tributary.Broker.Topics;
using Tributary.Protocol;
using Tributary.Storage;

namespace Tributary.Broker;

/// <summary>
/// The composition root of one broker: storage, the metadata store and controller, the replica
/// manager, the group coordinator and every request handler, wired in dependency order. Start-up
/// is <see cref="OpenAsync"/>; the socket server is created by the caller with
/// <see cref="Dispatcher"/> and attached through <see cref="AttachListeners"/> so advertised
/// endpoints with port 0 or no host can be filled from the bound sockets.
/// </summary>
public sealed class BrokerNode : IAsyncDisposable
{
    private readonly LogManager _logs;
    private readonly LocalMetadataStore _store;
    private readonly LocalClusterController _controller;
    private readonly ReplicaManager _replicas;
    private readonly GroupCoordinatorService _groups;
    private readonly BrokerStateMetrics _stateMetrics;
    private Func<string, IPEndPoint?> _boundEndpoint = _ => null;
    private int _disposed;

    private BrokerNode(BrokerConfig config, ILoggerFactory loggers, BrokerMetrics metrics, LogManager logs, LocalMetadataStore store,
        LocalClusterController controller, TopicConfigResolver resolver, TimeProvider time)
    {
        Config = config;
        _logs = logs;
        _store = store;
        _controller = controller;

        _replicas = new ReplicaManager(
            new ReplicaManagerOptions
            {
                NodeId = config.NodeId,
                DefaultMinInsyncReplicas = config.MinInsyncReplicas,
                MinInsyncReplicasResolver = resolver.MinInsyncReplicas,
                Time = time,
            },
            logs, store, resolver.Resolve, loggers.CreateLogger<ReplicaManager>());
        _groups = new GroupCoordinatorService(GroupCoordinatorOptions.FromBrokerConfig(config), store, _replicas, time,
            loggers.CreateLogger<GroupCoordinatorService>());

        _stateMetrics = new BrokerStateMetrics(metrics, store, _replicas, config.NodeId, resolver.MinInsyncReplicas, time);
        var endpoints = new AdvertisedEndpoints(config.NodeId, name => _boundEndpoint(name));
        var catalog = new BrokerConfigCatalog(config, resolver);
        var sessions = new FetchSessionCache(time: time);
        HandlerTable? table = null;
        var handlers = new List<IRequestHandler>
        {
            new ApiVersionsHandler(() => table!),
            // Topics, configs and cluster metadata.
            new MetadataHandler(store, controller, config, endpoints),
            new CreateTopicsHandler(controller),
            new DeleteTopicsHandler(controller),
            new CreatePartitionsHandler(controller),
            new DescribeConfigsHandler(store, config, resolver, catalog),
            new AlterConfigsHandler(controller),
            new IncrementalAlterConfigsHandler(controller),
            new DescribeClusterHandler(store, endpoints),
            new DescribeQuorumHandler(store, config, time),
            new DescribeLogDirsHandler(config, logs),
            // The data path.
            new ProduceHandler(_replicas, store, metrics, time),
            new FetchHandler(_replicas, store, sessions, metrics, config.FetchMaxBytes, time),
            new ListOffsetsHandler(_replicas, store),
            new DeleteRecordsHandler(_replicas, store),
            new InitProducerIdHandler(AllocateProducerIdsAsync, loggers.CreateLogger<InitProducerIdHandler>(), time: time),
            // Consumer groups.
            new FindCoordinatorHandler(store, endpoints.Resolve),
            new JoinGroupHandler(_groups),
            new SyncGroupHandler(_groups),
            new HeartbeatHandler(_groups),
            new LeaveGroupHandler(_groups),
            new OffsetCommitHandler(_groups, store),
            new OffsetFetchHandler(_groups),
            new OffsetDeleteHandler(_groups, store),
            new ListGroupsHandler(_groups),
            new DescribeGroupsHandler(_groups),
            new DeleteGroupsHandler(_groups),
        };
        table = new HandlerTable(handlers);
        Dispatcher = new RequestDispatcher(table, loggers.CreateLogger<RequestDispatcher>());
    }

    public BrokerConfig Config { get; }

    public IRequestDispatcher Dispatcher { get; }

    public IMetadataView Metadata => _store;

    /// <summary>Opens storage, replays metadata, bootstraps the cluster and starts the background services.</summary>
    public static async Task<BrokerNode> OpenAsync(BrokerConfig config, ILoggerFactory loggers, BrokerMetrics metrics, CancellationToken ct, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(loggers);
        time ??= TimeProvider.System;
        var resolver = new TopicConfigResolver(config);
        LocalMetadataStore? store = null;
        var logs = new LogManager(new LogManagerOptions
        {
            LogDirs = config.LogDirs,
            TopicConfig = topic => store is null ? null : resolver.Resolve(store.Current, topic),
            Time = time,
        });
        store = LocalMetadataStore.Open(config, logs, loggers.CreateLogger<LocalMetadataStore>(), time);
        var controller = new LocalClusterController(config, store, resolver, loggers.CreateLogger<LocalClusterController>());
        var node = new BrokerNode(config, loggers, metrics, logs, store, controller, resolver, time);
        try
        {
            node._replicas.Start();
            await controller.StartAsync(ct).ConfigureAwait(false);
            node._groups.Start();
            logs.StartBackgroundTasks();
            return node;
        }
        catch
        {
            await node.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Lets advertised endpoints use the sockets the server actually bound.</summary>
    public void AttachListeners(Func<string, IPEndPoint?> boundEndpoint) => _boundEndpoint = boundEndpoint;

    private async ValueTask<(long Start, int Length)> AllocateProducerIdsAsync(CancellationToken ct)
    {
        var epoch = _store.Current.Brokers.TryGetValue(Config.NodeId, out var self) ? self.Epoch : -1;
        var (error, block) = await _controller.AllocateProducerIdsAsync(Config.NodeId, epoch, ct).ConfigureAwait(false);
        if (error != ErrorCode.None)
        {
            throw new InvalidOperationException($"producer id allocation failed: {error}");
        }

        return (block.FirstId, block.Size);
    }

    /// <summary>Clean shutdown: coordinators, then partitions (producer state), then logs (flush + checkpoints).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _stateMetrics.Dispose();
        await _groups.DisposeAsync().ConfigureAwait(false);
        await _replicas.DisposeAsync().ConfigureAwait(false);
        _controller.Dispose();
        await _logs.DisposeAsync().ConfigureAwait(false);
    }
}
