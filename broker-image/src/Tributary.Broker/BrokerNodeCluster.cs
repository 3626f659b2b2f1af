using System.Net;
using Microsoft.Extensions.Logging;
using Tributary.Broker.Cluster;
using Tributary.Broker.Config;
using Tributary.Broker.Metadata.Controller;
using Tributary.Broker.Quorum;
using Tributary.Broker.Topics;
using Tributary.Storage;

namespace Tributary.Broker;

/// <summary>
/// The cluster half of a <see cref="BrokerNode"/> (a node with <c>controller.quorum.voters</c>): the Raft
/// metadata store, the channel to the active controller, the controller role (when
/// <c>process.roles</c> has <c>controller</c>) and the broker lifecycle (when it has <c>broker</c>).
/// </summary>
/// <remarks>
/// Admin requests go to the local controller while this node is the active controller and are
/// forwarded to the active controller otherwise, as KRaft brokers forward them.
/// </remarks>
internal sealed class BrokerNodeCluster : IAsyncDisposable
{
    private readonly BrokerConfig _config;
    private readonly ILoggerFactory _loggers;
    private readonly TimeProvider _time;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private BrokerLifecycleManager? _lifecycle;
    private int _stopped;

    private BrokerNodeCluster(BrokerConfig config, RaftMetadataStore store, ControllerChannel channel, QuorumController? controller,
        IClusterController admin, ILoggerFactory loggers, TimeProvider time)
    {
        _config = config;
        Store = store;
        Channel = channel;
        Controller = controller;
        Admin = admin;
        _loggers = loggers;
        _time = time;
    }

    public RaftMetadataStore Store { get; }

    public ControllerChannel Channel { get; }

    /// <summary>The controller role, or null on a broker-only node.</summary>
    public QuorumController? Controller { get; }

    /// <summary>Where admin operations go: the local controller when active, else forwarded.</summary>
    public IClusterController Admin { get; }

    /// <summary>This broker's epoch from its registration, or -1 before it registered (or on a dedicated controller).</summary>
    public long BrokerEpoch => _lifecycle?.BrokerEpoch ?? -1;

    /// <summary>Completes when the broker is unfenced (a dedicated controller: when it joined the quorum).</summary>
    public Task Ready => _ready.Task;

    /// <summary>Opens the metadata quorum's store (replaying its snapshot and log) and builds the roles; nothing talks to the network yet.</summary>
    public static BrokerNodeCluster Open(BrokerConfig config, LogManager logs, TopicConfigResolver resolver, ILoggerFactory loggers, TimeProvider time)
    {
        var store = RaftMetadataStore.Open(config, logs, loggers, time: time);
        var channel = new ControllerChannel(ControllerChannel.EndpointsFrom(config), store,
            new ControllerChannelOptions { ClientId = $"tributary-broker-{config.NodeId}" }, logger: loggers.CreateLogger<ControllerChannel>());
        var forwarding = new ForwardingClusterController(channel, store, logger: loggers.CreateLogger<ForwardingClusterController>());
        QuorumController? controller = null;
        IClusterController admin = forwarding;
        if (config.IsController)
        {
            controller = new QuorumController(config, store, resolver, loggers.CreateLogger<QuorumController>(), quorum: store, time: time);
            admin = new RoutingClusterController(controller, forwarding, store);
        }

        return new BrokerNodeCluster(config, store, channel, controller, admin, loggers, time);
    }

    /// <summary>Joins the quorum, activates the controller role and starts registering and heartbeating.</summary>
    public async Task StartAsync(Func<string, IPEndPoint?> boundEndpoint, CancellationToken ct)
    {
        Store.Start();
        if (Controller is not null)
        {
            await Controller.StartAsync(ct).ConfigureAwait(false);
        }

        if (!_config.IsBroker)
        {
            _ready.TrySetResult();
            return;
        }

        _lifecycle = new BrokerLifecycleManager(BrokerLifecycleOptions.FromConfig(_config, Store.ClusterId, boundEndpoint),
            Channel, Store, _loggers.CreateLogger<BrokerLifecycleManager>(), _time);
        _lifecycle.Start();
        _ = _lifecycle.Unfenced.ContinueWith(_ => _ready.TrySetResult(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
    }

    /// <summary>Controlled shutdown of the broker role, then the quorum leader hands over; bounded by <paramref name="timeout"/>.</summary>
    public async Task ShutdownAsync(TimeSpan timeout)
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        using var deadline = new CancellationTokenSource(timeout);
        if (_lifecycle is not null)
        {
            try
            {
                await _lifecycle.ControlledShutdownAsync(timeout, deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Out of time: stop anyway; the controller fences us when the session lapses.
            }

            await _lifecycle.DisposeAsync().ConfigureAwait(false);
        }

        await Store.StopAsync(resign: true, TimeSpan.FromSeconds(1)).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_lifecycle is not null)
        {
            await _lifecycle.DisposeAsync().ConfigureAwait(false);
        }

        await Store.DisposeAsync().ConfigureAwait(false);
        await Channel.DisposeAsync().ConfigureAwait(false);
    }
}
