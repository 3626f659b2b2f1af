using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Tributary.Kube;
using Tributary.Operator.Hosting;
using Tributary.Operator.Rendering;
using Tributary.Operator.Rolling;

namespace Tributary.Operator.Controllers;

/// <summary>
/// Watches KafkaClusters, the objects they own (StatefulSets, pods, Services, ConfigMaps, claims) and Nodes,
/// and reconciles the owning cluster's key on every change (controller-runtime style: level-triggered,
/// one work queue, events only say "look again").
/// </summary>
public sealed class KafkaClusterController : IController
{
    public const string ControllerName = "kafkacluster";

    private readonly KafkaClusterCaches _caches;
    private readonly KafkaClusterReconciler _reconciler;
    private readonly KafkaClusterControllerOptions _options;
    private readonly IOperatorMetrics _metrics;
    private readonly ILogger _logger;

    public KafkaClusterController(
        IKubeClient client,
        IEventRecorder events,
        IClusterSafetyProbe probe,
        KafkaClusterControllerOptions options,
        IOperatorMetrics metrics,
        ILogger<KafkaClusterController> logger)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _metrics = metrics ?? throw new ArgumentNullException(nameof(metrics));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _caches = new KafkaClusterCaches(client, options);
        _reconciler = new KafkaClusterReconciler(client, events, probe, _caches, options, logger);
    }

    public string Name => ControllerName;

    public bool HasSynced => _caches.HasSynced;

    public KafkaClusterCaches Caches => _caches;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var queue = new WorkQueue<string>(new ExponentialBackoffRateLimiter<string>(), _options.TimeProvider);
        Wire(queue);
        var informers = _caches.All.Select(i => i.RunAsync(cancellationToken)).ToList();
        try
        {
            await Task.WhenAll(_caches.All.Select(i => i.WaitForSyncAsync(cancellationToken))).ConfigureAwait(false);
            _logger.LogInformation("{Controller} caches synced; starting {Workers} workers", Name, _options.Workers);
            var workers = new ReconcileWorkers(Name, queue, _reconciler.ReconcileAsync, _metrics, _logger);
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

    private void Wire(WorkQueue<string> queue)
    {
        _caches.Clusters.Added += o => queue.Add(o.Key());
        _caches.Clusters.Updated += (_, o) => queue.Add(o.Key());
        _caches.Clusters.Deleted += o => _reconciler.OnDeleted(o.Key());
        foreach (var owned in _caches.Owned)
        {
            owned.Added += o => EnqueueOwner(queue, o);
            owned.Updated += (old, o) => EnqueueOwner(queue, o);
            owned.Deleted += o => EnqueueOwner(queue, o);
        }

        // Zones come from node labels and healing from node readiness: a change may concern every cluster.
        _caches.Nodes.Added += _ => EnqueueAll(queue);
        _caches.Nodes.Updated += (old, o) =>
        {
            if (!ReferenceEquals(old, o) && (PodFacts.NodeReadiness(old).Ready != PodFacts.NodeReadiness(o).Ready
                || old.Label(StatefulSetRenderer.ZoneLabel) != o.Label(StatefulSetRenderer.ZoneLabel)))
            {
                EnqueueAll(queue);
            }
        };
        _caches.Nodes.Deleted += _ => EnqueueAll(queue);
        foreach (var informer in _caches.All)
        {
            informer.Error += e => _logger.LogWarning(e, "{Controller} informer error; it retries on its own", Name);
        }
    }

    // Owned objects carry the cluster name in app.kubernetes.io/instance (pods and claims via the StatefulSet selector).
    private static void EnqueueOwner(WorkQueue<string> queue, JsonObject owned)
    {
        if (owned.Label(ClusterLabels.Instance) is { Length: > 0 } cluster && owned.Namespace() is { Length: > 0 } ns)
        {
            queue.Add(ns + "/" + cluster);
        }
    }

    private void EnqueueAll(WorkQueue<string> queue)
    {
        foreach (var cluster in _caches.Clusters.List())
        {
            queue.Add(cluster.Key());
        }
    }
}
