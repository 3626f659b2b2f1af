using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Tributary.Kube;
using Tributary.Operator.Hosting;

namespace Tributary.Operator.Controllers.Topics;

/// <summary>
/// Runs <see cref="TopicReconciler"/> for every Topic: informers on Topics and KafkaClusters feed a
/// de-duplicating work queue; every Topic is looked at again each <see cref="TopicControllerOptions.ResyncPeriod"/>
/// so drift made directly in Kafka is reverted. A cluster becoming Ready (or going away) wakes its Topics.
/// </summary>
public sealed class TopicController : IController
{
    public const string ControllerName = "topic";

    private readonly TopicControllerOptions _options;
    private readonly TopicReconciler _reconciler;
    private readonly IOperatorMetrics _metrics;
    private readonly ILogger _logger;
    private readonly InformerSet _topics;
    private readonly InformerSet _clusters;
    private readonly RequeueCoalescer _requeues = new();

    public TopicController(
        IKubeClient client,
        ITopicAdminFactory admins,
        IEventRecorder events,
        TopicControllerOptions options,
        IOperatorMetrics metrics,
        ILogger<TopicController> logger)
    {
        ArgumentNullException.ThrowIfNull(client);
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _metrics = metrics ?? throw new ArgumentNullException(nameof(metrics));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _reconciler = new TopicReconciler(client, admins, events, options);
        // Resync comes from the work queue (per Topic, after each reconcile), not from informer re-delivery.
        var informerOptions = new InformerOptions { ResyncPeriod = TimeSpan.Zero, TimeProvider = options.TimeProvider };
        _topics = new InformerSet(client, TopicResources.Topics, options.Namespaces, informerOptions);
        _clusters = new InformerSet(client, TopicResources.KafkaClusters, options.Namespaces, informerOptions);
    }

    public string Name => ControllerName;

    public bool HasSynced => _topics.HasSynced && _clusters.HasSynced;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var queue = new WorkQueue<string>(new ExponentialBackoffRateLimiter<string>(), _options.TimeProvider);
        Wire(queue);
        var informers = new[] { _topics.RunAsync(cancellationToken), _clusters.RunAsync(cancellationToken) };
        try
        {
            await Task.WhenAll(_topics.WaitForSyncAsync(cancellationToken), _clusters.WaitForSyncAsync(cancellationToken)).ConfigureAwait(false);
            _logger.LogInformation("{Controller} caches synced; starting {Workers} workers", Name, _options.Workers);
            var workers = new ReconcileWorkers(Name, queue, ReconcileAsync, _metrics, _logger);
            await workers.RunAsync(_options.Workers, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            queue.ShutDown();
            await Task.WhenAll(informers).ConfigureAwait(false);
        }
    }

    private async Task<ReconcileResult> ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var peers = slash > 0 ? _topics.List(key[..slash]) : [];
        var result = await _reconciler.ReconcileAsync(key, peers, cancellationToken).ConfigureAwait(false);
        return _requeues.Coalesce(key, result, _options.TimeProvider.GetUtcNow());
    }

    private void Wire(WorkQueue<string> queue)
    {
        _topics.Added += t => queue.Add(t.Key());
        _topics.Updated += (old, now) =>
        {
            if (SpecOrLifecycleChanged(old, now))
            {
                queue.Add(now.Key());
            }
        };
        _topics.Deleted += t =>
        {
            _requeues.Forget(t.Key());
            // A deleted owner hands its Kafka topic to the next claimant: wake them.
            foreach (var peer in SameClaim(t))
            {
                queue.Add(peer.Key());
            }
        };
        _clusters.Added += c => WakeTopicsOf(c, queue);
        _clusters.Updated += (old, now) =>
        {
            if (ClusterStateChanged(old, now))
            {
                WakeTopicsOf(now, queue);
            }
        };
        _clusters.Deleted += c => WakeTopicsOf(c, queue);
        _topics.Error += e => _logger.LogWarning(e, "{Controller} Topic watch failed; retrying", Name);
        _clusters.Error += e => _logger.LogWarning(e, "{Controller} KafkaCluster watch failed; retrying", Name);
    }

    private void WakeTopicsOf(JsonObject cluster, WorkQueue<string> queue)
    {
        foreach (var topic in _topics.List(cluster.Namespace()))
        {
            if (ClusterRef(topic) == cluster.Name())
            {
                queue.Add(topic.Key());
            }
        }
    }

    private IEnumerable<JsonObject> SameClaim(JsonObject deleted)
    {
        var name = KafkaName(deleted);
        var cluster = ClusterRef(deleted);
        return _topics.List(deleted.Namespace()).Where(t => ClusterRef(t) == cluster && KafkaName(t) == name);
    }

    private static string? ClusterRef(JsonObject topic) => ((topic["spec"] as JsonObject)?["clusterRef"] as JsonObject)?.GetString("name");

    private static string? KafkaName(JsonObject topic) => (topic["spec"] as JsonObject)?.GetString("topicName") ?? topic.Name();

    // Our own status writes come back as updates; they need no reconcile.
    private static bool SpecOrLifecycleChanged(JsonObject old, JsonObject now) =>
        old.Generation() != now.Generation()
        || old.IsDeleting() != now.IsDeleting()
        || !old.Finalizers().SequenceEqual(now.Finalizers());

    private static bool ClusterStateChanged(JsonObject old, JsonObject now) =>
        !JsonNode.DeepEquals(ReadyCondition(old), ReadyCondition(now))
        || old.At("status.bootstrapServers")?.ToJsonString() != now.At("status.bootstrapServers")?.ToJsonString()
        || old.IsDeleting() != now.IsDeleting();

    private static JsonNode? ReadyCondition(JsonObject cluster) =>
        (cluster.At("status.conditions") as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => c.GetString("type") == "Ready")?["status"];
}
