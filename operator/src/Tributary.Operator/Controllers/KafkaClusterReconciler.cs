using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Tributary.Kube;
using Tributary.Operator.Api;
using Tributary.Operator.Healing;
using Tributary.Operator.Hosting;
using Tributary.Operator.Rendering;
using Tributary.Operator.Rolling;
using Tributary.Operator.Validation;

namespace Tributary.Operator.Controllers;

/// <summary>
/// One reconcile of one KafkaCluster: validate, resolve zones and cluster id, render, server-side apply,
/// prune what is no longer rendered, heal lost brokers, take the next rolling-restart step, write status.
/// All decisions are made by pure functions (validator, renderer, <see cref="HealingPlanner"/>,
/// <see cref="RollPlanner"/>, <see cref="KafkaClusterStatusBuilder"/>); this class only gathers and acts.
/// </summary>
public sealed class KafkaClusterReconciler
{
    private readonly IKubeClient _client;
    private readonly IEventRecorder _events;
    private readonly IClusterSafetyProbe _probe;
    private readonly KafkaClusterCaches _caches;
    private readonly KafkaClusterControllerOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _nodeMissingSince = new(StringComparer.Ordinal);

    public KafkaClusterReconciler(
        IKubeClient client, IEventRecorder events, IClusterSafetyProbe probe, KafkaClusterCaches caches, KafkaClusterControllerOptions options, ILogger logger)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _events = events ?? throw new ArgumentNullException(nameof(events));
        _probe = probe ?? throw new ArgumentNullException(nameof(probe));
        _caches = caches ?? throw new ArgumentNullException(nameof(caches));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _time = options.TimeProvider;
    }

    /// <summary>Notes a deleted cluster: owner references garbage-collect its objects, so there is nothing to undo.</summary>
    public void OnDeleted(string key) => _logger.LogInformation("KafkaCluster {Key} deleted; its objects are garbage-collected through owner references", key);

    public async Task<ReconcileResult> ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var separator = key.IndexOf('/', StringComparison.Ordinal);
        var raw = separator < 0 ? null : _caches.Clusters.Get(key[..separator], key[(separator + 1)..]);
        if (raw is null || raw.IsDeleting())
        {
            return ReconcileResult.Done;
        }

        KafkaCluster? cluster = null;
        IReadOnlyList<string> errors;
        try
        {
            cluster = raw.Deserialize<KafkaCluster>(ApiJson.Options) ?? throw new JsonException("empty object");
            errors = KafkaClusterValidator.Validate(cluster);
        }
        catch (JsonException e)
        {
            errors = [$"the object does not match the KafkaCluster schema: {e.Message}"];
        }

        if (errors.Count > 0 || cluster is null)
        {
            await StallAsync(raw, errors, cancellationToken).ConfigureAwait(false);
            return ReconcileResult.Done;
        }

        return await ReconcileValidAsync(raw, cluster, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ReconcileResult> ReconcileValidAsync(JsonObject raw, KafkaCluster cluster, CancellationToken cancellationToken)
    {
        var ns = cluster.Metadata.Namespace!;
        var name = cluster.Metadata.Name!;
        var now = _time.GetUtcNow();

        var zones = ZonePlanner.Resolve(cluster.Spec.Zones, DiscoverZones(), cluster.Status?.Zones);
        var clusterId = cluster.Status?.ClusterId ?? ClusterIds.New();
        var layout = ClusterLayout.Compute(name, cluster.Spec, zones);
        var externals = ExternalAddressResolver.Resolve(name, cluster.Spec, layout,
            svc => _caches.Services.Get(ns, svc), pod => _caches.Pods.Get(ns, pod), node => _caches.Nodes.Get(null, node));
        var input = new KafkaClusterRenderInput
        {
            Cluster = cluster,
            Zones = zones,
            ClusterId = clusterId,
            DefaultImageRepository = _options.DefaultImageRepository,
            DefaultVersion = _options.DefaultVersion,
            ExternalAddresses = externals,
        };
        var render = KafkaClusterRenderer.Render(input);

        // The cluster id and zone order must be durable before any broker formats its storage with them.
        if (cluster.Status?.ClusterId is null || !(cluster.Status.Zones ?? []).SequenceEqual(zones))
        {
            var early = cluster.Status is null ? new KafkaClusterStatus() : Clone(cluster.Status);
            early.ClusterId = clusterId;
            early.Zones = [.. zones];
            await WriteStatusAsync(raw, cluster.Status, early, cancellationToken).ConfigureAwait(false);
        }

        var applied = await ApplyAsync(raw, render, cancellationToken).ConfigureAwait(false);
        await PruneAsync(raw, cluster, render, cancellationToken).ConfigureAwait(false);

        var result = ReconcileResult.After(_options.ResyncPeriod);
        ClusterProgress? progress = null;

        var healing = HealingPlanner.Plan(await ObserveHealingAsync(cluster, layout, now, cancellationToken).ConfigureAwait(false));
        if (healing.RecheckAfter is { } recheck)
        {
            result = result.Merge(ReconcileResult.After(recheck));
        }

        if (healing.Actions.Count > 0)
        {
            await HealAsync(raw, ns, healing.Actions, cancellationToken).ConfigureAwait(false);
            progress = new ClusterProgress(false, ConditionReasons.Healing, string.Join("; ", healing.Actions.Select(a => a.Reason)));
            result = result.Merge(ReconcileResult.After(_options.RollRetryInterval));
        }
        else
        {
            var roll = await RollAsync(raw, cluster, layout, applied, cancellationToken).ConfigureAwait(false);
            progress = roll.Progress;
            result = result.Merge(roll.Result);
        }

        progress ??= Readiness(layout, ns);
        var listeners = ListenerStatuses(input, layout, externals);
        var status = KafkaClusterStatusBuilder.Build(cluster, layout, clusterId, render.BootstrapServers, listeners,
            pod => _caches.Pods.Get(ns, pod) is { } p && !p.IsDeleting() && PodFacts.IsReady(p), progress, now);
        await WriteStatusAsync(raw, cluster.Status, status, cancellationToken).ConfigureAwait(false);
        return result;
    }

    private async Task StallAsync(JsonObject raw, IReadOnlyList<string> errors, CancellationToken cancellationToken)
    {
        KafkaClusterStatus? previous = null;
        try
        {
            previous = raw["status"]?.Deserialize<KafkaClusterStatus>(ApiJson.Options);
        }
        catch (JsonException)
        {
            // A status we cannot read is rewritten from scratch.
        }

        var status = KafkaClusterStatusBuilder.Stalled(previous, raw.Generation(), errors, _time.GetUtcNow());
        var alreadyStalled = previous?.Conditions?.FirstOrDefault(c => c.Type == ConditionTypes.Stalled) is { Status: ConditionStatus.True } old
            && old.Message == status.Conditions![2].Message && previous.ObservedGeneration == raw.Generation();
        if (!alreadyStalled)
        {
            _logger.LogWarning("KafkaCluster {Key} has an invalid spec; nothing is changed: {Errors}", raw.Key(), string.Join("; ", errors));
            await _events.RecordAsync(raw, EventTypes.Warning, EventReasons.InvalidSpec, "Invalid spec, nothing changed: " + string.Join("; ", errors), cancellationToken)
                .ConfigureAwait(false);
        }

        await WriteStatusAsync(raw, previous, status, cancellationToken).ConfigureAwait(false);
    }

    private List<string> DiscoverZones() =>
        _caches.Nodes.List()
            .Where(n => n["spec"]?["unschedulable"] is not JsonValue u || !u.TryGetValue<bool>(out var b) || !b)
            .Select(n => n.Label(StatefulSetRenderer.ZoneLabel))
            .OfType<string>()
            .Where(z => z.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .ToList();

    /// <summary>Server-side applies every rendered object; returns the StatefulSets as stored.</summary>
    private async Task<Dictionary<string, JsonObject>> ApplyAsync(JsonObject raw, KafkaClusterRender render, CancellationToken cancellationToken)
    {
        var statefulSets = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        var created = new List<string>();
        foreach (var obj in render.Objects)
        {
            var resource = KafkaResources.ForRendered(obj.GetString("apiVersion")!, obj.GetString("kind")!);
            var existed = _caches.For(resource)?.Get(obj.Namespace(), obj.Name()!) is not null;
            var stored = await _client.ApplyAsync(resource, obj, new ApplyOptions { Force = true }, cancellationToken).ConfigureAwait(false);
            if (_caches.For(resource) is not null && !existed && stored.Generation() <= 1)
            {
                created.Add($"{resource.Kind} {obj.Name()}");
            }

            if (resource == ResourceDescriptor.StatefulSets)
            {
                statefulSets[obj.Name()!] = stored;
            }
        }

        if (created.Count > 0)
        {
            await _events.RecordAsync(raw, EventTypes.Normal, EventReasons.Created, "Created " + string.Join(", ", created), cancellationToken).ConfigureAwait(false);
        }

        return statefulSets;
    }

    /// <summary>
    /// Deletes Services and StatefulSets this cluster owns that are no longer rendered (a removed listener,
    /// the controller StatefulSet after a mode change). Claims go only when storage.deleteClaim is set.
    /// </summary>
    private async Task PruneAsync(JsonObject raw, KafkaCluster cluster, KafkaClusterRender render, CancellationToken cancellationToken)
    {
        var ns = cluster.Metadata.Namespace!;
        var uid = cluster.Metadata.Uid;
        var desired = render.Objects.Select(o => (o.GetString("kind"), o.Name())).ToHashSet();
        var deleted = new List<string>();
        foreach (var (cache, resource) in new[] { (_caches.Services, ResourceDescriptor.Services), (_caches.StatefulSets, ResourceDescriptor.StatefulSets) })
        {
            foreach (var obj in cache.List(ns))
            {
                if (obj.IsDeleting() || !IsControlledBy(obj, uid) || desired.Contains((resource.Kind, obj.Name())))
                {
                    continue;
                }

                await DeleteIgnoringMissingAsync(resource, ns, obj.Name()!, new DeleteOptions { PreconditionUid = obj.Uid() }, cancellationToken).ConfigureAwait(false);
                deleted.Add($"{resource.Kind} {obj.Name()}");
                if (resource == ResourceDescriptor.StatefulSets && cluster.Spec.Storage.DeleteClaim)
                {
                    foreach (var claim in _caches.Claims.List(ns).Where(c => c.Name()!.EndsWith("-" + obj.Name() + "-" + Ordinal(c.Name()!), StringComparison.Ordinal)))
                    {
                        await DeleteIgnoringMissingAsync(ResourceDescriptor.PersistentVolumeClaims, ns, claim.Name()!, null, cancellationToken).ConfigureAwait(false);
                        deleted.Add($"PersistentVolumeClaim {claim.Name()}");
                    }
                }
            }
        }

        if (deleted.Count > 0)
        {
            await _events.RecordAsync(raw, EventTypes.Normal, EventReasons.Deleted, "Deleted objects no longer needed: " + string.Join(", ", deleted), cancellationToken)
                .ConfigureAwait(false);
        }
    }

    private static string Ordinal(string name) => name[(name.LastIndexOf('-') + 1)..];

    private static bool IsControlledBy(JsonObject obj, string? uid) =>
        uid is not null && obj["metadata"]?["ownerReferences"] is JsonArray refs
        && refs.OfType<JsonObject>().Any(r => r.GetString("uid") == uid);

    private async Task<HealingObservation> ObserveHealingAsync(KafkaCluster cluster, ClusterLayout layout, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var ns = cluster.Metadata.Namespace!;
        var replacement = cluster.Spec.BrokerReplacement ?? new BrokerReplacementSpec();
        var timeout = DurationParser.TryParse(replacement.NodeNotReadyTimeout, out var t) ? t : TimeSpan.FromMinutes(5);
        var pods = new List<HealingPod>();
        var volumes = new Dictionary<string, HealingVolume>(StringComparer.Ordinal);
        var nodes = _caches.Nodes.List().ToDictionary(n => n.Name()!, n =>
        {
            var (ready, since) = PodFacts.NodeReadiness(n);
            return new HealingNode(n.Name()!, ready, ready ? null : since);
        }, StringComparer.Ordinal);

        foreach (var slot in layout.AllNodes)
        {
            var pod = _caches.Pods.Get(ns, slot.Pod);
            if (pod is not null)
            {
                pods.Add(new HealingPod(slot.Pod, PodFacts.NodeName(pod), slot.Pvc, pod.IsDeleting()));
                if (PodFacts.NodeName(pod) is { Length: > 0 } nodeName)
                {
                    if (nodes.ContainsKey(nodeName))
                    {
                        _nodeMissingSince.TryRemove(nodeName, out _);
                    }
                    else
                    {
                        _nodeMissingSince.TryAdd(nodeName, now);
                    }
                }
            }

            if (_caches.Claims.Get(ns, slot.Pvc) is { } claim)
            {
                var lost = (claim["status"] as JsonObject)?.GetString("phase") == "Lost";
                // Only a broker that is not Ready can be missing its volume; checking those alone keeps
                // healthy reconciles free of extra API calls.
                if (!lost && pod is not null && !PodFacts.IsReady(pod) && (claim["spec"] as JsonObject)?.GetString("volumeName") is { Length: > 0 } volume)
                {
                    lost = await _client.TryGetAsync(KafkaResources.PersistentVolumes, null, volume, cancellationToken).ConfigureAwait(false) is null;
                }

                volumes[slot.Pvc] = new HealingVolume(slot.Pvc, lost, claim.IsDeleting());
            }
        }

        return new HealingObservation(now, replacement.Enabled, timeout, pods, nodes, volumes, _nodeMissingSince);
    }

    private async Task HealAsync(JsonObject raw, string ns, IReadOnlyList<HealingAction> actions, CancellationToken cancellationToken)
    {
        foreach (var action in actions)
        {
            if (action.Kind == HealingActionKind.DeleteClaim)
            {
                await DeleteIgnoringMissingAsync(ResourceDescriptor.PersistentVolumeClaims, ns, action.Name, null, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await DeleteIgnoringMissingAsync(ResourceDescriptor.Pods, ns, action.Name, new DeleteOptions { GracePeriodSeconds = 0 }, cancellationToken).ConfigureAwait(false);
            }

            _logger.LogWarning("KafkaCluster {Key}: {Reason}", raw.Key(), action.Reason);
            await _events.RecordAsync(raw, EventTypes.Warning, EventReasons.Healed, action.Reason, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<(ClusterProgress? Progress, ReconcileResult Result)> RollAsync(
        JsonObject raw, KafkaCluster cluster, ClusterLayout layout, Dictionary<string, JsonObject> statefulSets, CancellationToken cancellationToken)
    {
        var ns = cluster.Metadata.Namespace!;
        var settled = true;
        var nodes = new List<RollNode>();
        foreach (var slot in layout.AllNodes)
        {
            if (!statefulSets.TryGetValue(slot.StatefulSet, out var sts))
            {
                continue;
            }

            var observed = sts["status"]?["observedGeneration"].AsInt64() ?? 0;
            var updateRevision = (sts["status"] as JsonObject)?.GetString("updateRevision");
            if (observed < sts.Generation() || updateRevision is null)
            {
                settled = false;
            }

            var pod = _caches.Pods.Get(ns, slot.Pod);
            var exists = pod is not null && !pod.IsDeleting();
            string? reason = null;
            if (exists)
            {
                var templateHash = sts["spec"]?["template"]?["metadata"]?["annotations"]?[ClusterLabels.ConfigHash]?.GetValue<string>();
                if (templateHash is not null && PodFacts.Annotation(pod!, ClusterLabels.ConfigHash) != templateHash)
                {
                    reason = RollReasons.ConfigChanged;
                }
                else if (updateRevision is not null && pod!.Label(PodFacts.RevisionLabel) is { } revision && revision != updateRevision)
                {
                    reason = RollReasons.PodTemplateChanged;
                }
            }

            nodes.Add(new RollNode(slot.Id, slot.Pod, exists, exists && PodFacts.IsReady(pod!), reason));
        }

        var action = RollPlanner.Plan(new RollObservation(nodes, null, settled));
        if (action.Kind == RollActionKind.Restart && action.RequiresProbe && action.Pending > 1)
        {
            // Only worth asking the cluster who leads when there is a choice of order.
            var active = await _probe.GetActiveControllerAsync(cluster, cancellationToken).ConfigureAwait(false);
            action = RollPlanner.Plan(new RollObservation(nodes, active, settled));
        }

        switch (action.Kind)
        {
            case RollActionKind.None:
                return (null, ReconcileResult.Done);
            case RollActionKind.Wait:
                return (new ClusterProgress(false, ConditionReasons.RollingRestart, $"rolling restart, {action.Pending} pod(s) left: {action.Message}"),
                    ReconcileResult.After(_options.RollRetryInterval));
        }

        var node = action.Node!;
        if (action.RequiresProbe)
        {
            var decision = await _probe.CanRestartAsync(cluster, node.Id, cancellationToken).ConfigureAwait(false);
            if (!decision.Allowed)
            {
                _logger.LogInformation("KafkaCluster {Key}: restart of {Pod} postponed: {Reason}", raw.Key(), node.Pod, decision.Reason);
                return (new ClusterProgress(false, ConditionReasons.RollBlocked, $"rolling restart, {action.Pending} pod(s) left: restart of pod {node.Pod} (node {node.Id}) waits: {decision.Reason}"),
                    ReconcileResult.After(_options.RollRetryInterval));
            }
        }

        var victim = _caches.Pods.Get(ns, node.Pod);
        await DeleteIgnoringMissingAsync(ResourceDescriptor.Pods, ns, node.Pod, new DeleteOptions { PreconditionUid = victim?.Uid() }, cancellationToken).ConfigureAwait(false);
        var message = string.Create(CultureInfo.InvariantCulture, $"Restarting pod {node.Pod} (node {node.Id}): {node.RestartReason}");
        _logger.LogInformation("KafkaCluster {Key}: {Message}", raw.Key(), message);
        await _events.RecordAsync(raw, EventTypes.Normal, EventReasons.RollingRestart, message, cancellationToken).ConfigureAwait(false);
        return (new ClusterProgress(false, ConditionReasons.RollingRestart, $"rolling restart, {action.Pending} pod(s) left: {action.Message}"),
            ReconcileResult.After(_options.RollRetryInterval));
    }

    private ClusterProgress Readiness(ClusterLayout layout, string ns)
    {
        var nodes = layout.AllNodes.ToList();
        var notReady = nodes.Where(n => _caches.Pods.Get(ns, n.Pod) is not { } p || p.IsDeleting() || !PodFacts.IsReady(p)).ToList();
        var summary = string.Create(CultureInfo.InvariantCulture, $"{nodes.Count - notReady.Count}/{nodes.Count} Kafka pods Ready");
        return notReady.Count == 0
            ? new ClusterProgress(true, ConditionReasons.Ready, summary)
            : new ClusterProgress(false, ConditionReasons.BrokersNotReady, $"{summary}; waiting for {string.Join(", ", notReady.Select(n => n.Pod))}");
    }

    private static List<ListenerStatus> ListenerStatuses(KafkaClusterRenderInput input, ClusterLayout layout, Dictionary<BrokerListenerKey, HostPort> externals)
    {
        var result = new List<ListenerStatus>();
        foreach (var listener in input.Cluster.Spec.Listeners)
        {
            string? bootstrap;
            if (listener.Type == ListenerType.Internal)
            {
                bootstrap = ServiceRenderer.BootstrapServers(input, listener);
            }
            else
            {
                var known = layout.Brokers.Select(b => externals.TryGetValue(new BrokerListenerKey(listener.Name, b.Id), out var hp) ? hp : null).ToList();
                bootstrap = known.All(h => h is not null)
                    ? string.Join(",", known.Select(h => string.Create(CultureInfo.InvariantCulture, $"{h!.Host}:{h.Port}")))
                    : null;
            }

            result.Add(new ListenerStatus { Name = listener.Name, BootstrapServers = bootstrap });
        }

        return result;
    }

    private async Task WriteStatusAsync(JsonObject raw, KafkaClusterStatus? previous, KafkaClusterStatus status, CancellationToken cancellationToken)
    {
        var serialized = JsonSerializer.SerializeToNode(status, ApiJson.Options)!;
        if (previous is not null && JsonSerializer.SerializeToNode(previous, ApiJson.Options)!.ToJsonString() == serialized.ToJsonString())
        {
            return;
        }

        var body = new JsonObject
        {
            ["apiVersion"] = KafkaApi.ApiVersion,
            ["kind"] = "KafkaCluster",
            ["metadata"] = new JsonObject { ["name"] = raw.Name(), ["namespace"] = raw.Namespace() },
            ["status"] = serialized,
        };
        await _client.ApplyAsync(KafkaResources.KafkaClusters, body, new ApplyOptions { Force = true, Subresource = "status" }, cancellationToken).ConfigureAwait(false);
    }

    private async Task DeleteIgnoringMissingAsync(ResourceDescriptor resource, string ns, string name, DeleteOptions? options, CancellationToken cancellationToken)
    {
        try
        {
            await _client.DeleteAsync(resource, ns, name, options, cancellationToken).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            // Already gone: the goal of the delete is met.
        }
    }

    private static KafkaClusterStatus Clone(KafkaClusterStatus status) =>
        JsonSerializer.Deserialize<KafkaClusterStatus>(JsonSerializer.Serialize(status, ApiJson.Options), ApiJson.Options)!;
}
