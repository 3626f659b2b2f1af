using System.Globalization;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tributary.Kube;
using Tributary.Operator.Api;
using Tributary.Operator.Hosting;
using Tributary.Operator.Validation;
using Tributary.Protocol.Primitives;

namespace Tributary.Operator.Controllers.Topics;

/// <summary>
/// One level-triggered pass over one Topic: read the resource, its KafkaCluster and the Kafka topic,
/// decide (pure <see cref="TopicPlanner"/> / <see cref="TopicConflicts"/>), act, and write status.
/// Safe to run any number of times; never runs concurrently for the same Topic (the work queue ensures it).
/// </summary>
public sealed class TopicReconciler
{
    private readonly IKubeClient _kube;
    private readonly ITopicAdminFactory _admins;
    private readonly IEventRecorder _events;
    private readonly TopicControllerOptions _options;

    public TopicReconciler(IKubeClient kube, ITopicAdminFactory admins, IEventRecorder events, TopicControllerOptions? options = null)
    {
        _kube = kube ?? throw new ArgumentNullException(nameof(kube));
        _admins = admins ?? throw new ArgumentNullException(nameof(admins));
        _events = events ?? throw new ArgumentNullException(nameof(events));
        _options = options ?? new TopicControllerOptions();
    }

    /// <summary>Reconciles the Topic with work-queue key "namespace/name".</summary>
    public Task<ReconcileResult> ReconcileAsync(string key, IReadOnlyList<JsonObject>? peers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return slash <= 0
            ? throw new ArgumentException($"'{key}' is not a namespace/name key", nameof(key))
            : ReconcileAsync(key[..slash], key[(slash + 1)..], peers, cancellationToken);
    }

    /// <param name="ns">Namespace of the Topic.</param>
    /// <param name="name">metadata.name of the Topic.</param>
    /// <param name="peers">Topics of the namespace (e.g. an informer's cache) for conflict detection; null lists them from the API.</param>
    public async Task<ReconcileResult> ReconcileAsync(string ns, string name, IReadOnlyList<JsonObject>? peers = null, CancellationToken cancellationToken = default)
    {
        var obj = await _kube.TryGetAsync(TopicResources.Topics, ns, name, cancellationToken).ConfigureAwait(false);
        if (obj is null)
        {
            return ReconcileResult.Done;
        }

        Topic topic;
        try
        {
            topic = ApiJson.Deserialize<Topic>(obj.ToJsonString());
        }
        catch (JsonException e)
        {
            // The CRD schema normally prevents this; without a readable spec nothing can be done safely.
            if (obj.IsDeleting())
            {
                await SetFinalizerAsync(obj, false, cancellationToken).ConfigureAwait(false);
                return ReconcileResult.Done;
            }
            await WriteStatusAsync(obj, null, TopicHealth.Stalled, TopicReasons.InvalidSpec, "the Topic cannot be read: " + e.Message, s => s, cancellationToken).ConfigureAwait(false);
            return ReconcileResult.After(_options.ResyncPeriod);
        }

        var kafkaName = TopicValidator.KafkaTopicName(topic);
        var clusterName = topic.Spec.ClusterRef?.Name ?? "";
        peers ??= (await _kube.ListAsync(TopicResources.Topics, ns, null, cancellationToken).ConfigureAwait(false)).Items;
        var winner = FindOwner(obj, kafkaName, clusterName, peers);
        var isOwner = winner.Uid == (obj.Uid() ?? "");
        var cluster = clusterName.Length == 0 ? null
            : await _kube.TryGetAsync(TopicResources.KafkaClusters, ns, clusterName, cancellationToken).ConfigureAwait(false);

        return obj.IsDeleting()
            ? await FinalizeAsync(obj, topic, kafkaName, isOwner ? null : winner, cluster, cancellationToken).ConfigureAwait(false)
            : await ApplyAsync(obj, topic, kafkaName, isOwner ? null : winner, cluster, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ReconcileResult> ApplyAsync(JsonObject obj, Topic topic, string kafkaName, TopicClaim? owner, JsonObject? cluster, CancellationToken ct)
    {
        var clusterName = topic.Spec.ClusterRef?.Name ?? "";
        if (owner is not null)
        {
            return await ReportConflictAsync(obj, topic, kafkaName, owner, ct).ConfigureAwait(false);
        }

        // The finalizer goes on before Kafka is touched, so a created topic is never orphaned by a fast delete.
        obj = await SetFinalizerAsync(obj, topic.Spec.DeletionPolicy == DeletionPolicy.Delete, ct).ConfigureAwait(false);

        var brokers = cluster?["spec"]?["brokers"].AsInt64() is { } b ? (int?)b : null;
        var errors = TopicValidator.Validate(new Topic { Metadata = topic.Metadata, Spec = topic.Spec }, brokers);
        if (errors.Count > 0)
        {
            await WriteStatusAsync(obj, topic, TopicHealth.Stalled, TopicReasons.InvalidSpec, string.Join("; ", errors), s => s, ct).ConfigureAwait(false);
            return ReconcileResult.After(_options.ResyncPeriod);
        }

        if (ClusterBootstrap(cluster) is not { } bootstrap)
        {
            var why = cluster is null
                ? $"KafkaCluster '{clusterName}' not found in namespace '{obj.Namespace()}'"
                : $"KafkaCluster '{clusterName}' is not Ready yet";
            await WriteStatusAsync(obj, topic, TopicHealth.Reconciling, TopicReasons.ClusterNotReady, why, s => s, ct).ConfigureAwait(false);
            return ReconcileResult.After(_options.ClusterNotReadyRetry);
        }

        try
        {
            var outcome = await SyncKafkaAsync(obj, topic, kafkaName, bootstrap, ct).ConfigureAwait(false);
            if (outcome.Owner is not null)
            {
                return await ReportConflictAsync(obj, topic, kafkaName, outcome.Owner, ct).ConfigureAwait(false);
            }
            var health = outcome.Plan.Problems.Count > 0 ? TopicHealth.Stalled : TopicHealth.Ready;
            var reason = health == TopicHealth.Ready ? TopicReasons.Ready : outcome.Plan.Problems[0].Reason;
            var message = health == TopicHealth.Ready
                ? $"Kafka topic '{kafkaName}' has {outcome.Partitions} partition(s), replication factor {outcome.ReplicationFactor} and the configured overrides"
                : string.Join("; ", outcome.Plan.Problems.Select(p => p.Message));
            foreach (var problem in outcome.Plan.Problems)
            {
                await RecordAsync(obj, EventTypes.Warning, problem.Reason, problem.Message, ct).ConfigureAwait(false);
            }
            await WriteStatusAsync(obj, topic, health, reason, message, s =>
            {
                s.TopicId = outcome.TopicId ?? s.TopicId;
                s.Partitions = outcome.Partitions;
                s.ReplicationFactor = outcome.ReplicationFactor;
                return s;
            }, ct).ConfigureAwait(false);
            return ReconcileResult.After(_options.ResyncPeriod);
        }
        catch (Exception e) when (IsKafkaFailure(e))
        {
            return await ReportKafkaFailureAsync(obj, topic, bootstrap, e, ct).ConfigureAwait(false);
        }
    }

    private async Task<SyncOutcome> SyncKafkaAsync(JsonObject obj, Topic topic, string kafkaName, string bootstrap, CancellationToken ct)
    {
        var spec = topic.Spec;
        var admin = _admins.Create(bootstrap);
        await using (admin.ConfigureAwait(false))
        {
            var actual = await admin.DescribeTopicAsync(kafkaName, ct).ConfigureAwait(false);
            var plan = TopicPlanner.Plan(spec.Partitions, spec.ReplicationFactor, spec.Config, actual);
            if (plan.HasChanges && await FreshOwnerAsync(obj, kafkaName, ct).ConfigureAwait(false) is { } owner)
            {
                return new SyncOutcome(plan, null, 0, 0, owner);
            }
            if (plan.Create)
            {
                var config = spec.Config ?? new Dictionary<string, string>();
                var id = await admin.CreateTopicAsync(kafkaName, spec.Partitions, checked((short)spec.ReplicationFactor), config, ct).ConfigureAwait(false);
                await RecordAsync(obj, EventTypes.Normal, TopicReasons.Created, string.Create(CultureInfo.InvariantCulture,
                    $"Created Kafka topic '{kafkaName}' with {spec.Partitions} partition(s), replication factor {spec.ReplicationFactor}{DescribeConfig(config.Keys)}"), ct).ConfigureAwait(false);
                return new SyncOutcome(plan, id ?? actual?.TopicId, spec.Partitions, spec.ReplicationFactor);
            }

            var partitions = actual!.Partitions;
            if (plan.GrowPartitionsTo is { } total)
            {
                await admin.CreatePartitionsAsync(kafkaName, total, ct).ConfigureAwait(false);
                await RecordAsync(obj, EventTypes.Normal, TopicReasons.PartitionsIncreased, string.Create(CultureInfo.InvariantCulture,
                    $"Increased partitions of Kafka topic '{kafkaName}' from {partitions} to {total}"), ct).ConfigureAwait(false);
                partitions = total;
            }

            if (plan.HasConfigChanges)
            {
                await admin.AlterConfigsAsync(kafkaName, plan.ConfigSet, plan.ConfigDelete, ct).ConfigureAwait(false);
                var parts = new List<string>();
                if (plan.ConfigSet.Count > 0)
                {
                    parts.Add("set " + string.Join(", ", plan.ConfigSet.Select(kv => kv.Key + "=" + kv.Value)));
                }
                if (plan.ConfigDelete.Count > 0)
                {
                    parts.Add("reverted to default " + string.Join(", ", plan.ConfigDelete));
                }
                await RecordAsync(obj, EventTypes.Normal, TopicReasons.ConfigUpdated,
                    $"Updated config of Kafka topic '{kafkaName}': {string.Join("; ", parts)}", ct).ConfigureAwait(false);
            }
            return new SyncOutcome(plan, actual.TopicId, partitions, actual.ReplicationFactor);
        }
    }

    private async Task<ReconcileResult> ReportConflictAsync(JsonObject obj, Topic topic, string kafkaName, TopicClaim owner, CancellationToken ct)
    {
        // The loser holds nothing in Kafka, so it must not hold up its own deletion either.
        obj = await SetFinalizerAsync(obj, false, ct).ConfigureAwait(false);
        var message = $"Kafka topic '{kafkaName}' in cluster '{topic.Spec.ClusterRef?.Name}' is already managed by Topic '{owner.Name}' (the oldest claim wins); this Topic changes nothing until that one is gone or this one names another topic";
        await RecordAsync(obj, EventTypes.Warning, TopicReasons.TopicNameConflict, message, ct).ConfigureAwait(false);
        await WriteStatusAsync(obj, topic, TopicHealth.Stalled, TopicReasons.TopicNameConflict, message, s => s, ct).ConfigureAwait(false);
        return ReconcileResult.After(_options.ResyncPeriod);
    }

    /// <summary>
    /// Conflict check against a fresh LIST (not a cache) right before changing Kafka, so a claim the
    /// informer has not seen yet can never lose a topic to a younger Topic. Returns the owner when it is not <paramref name="self"/>.
    /// </summary>
    private async Task<TopicClaim?> FreshOwnerAsync(JsonObject self, string kafkaName, CancellationToken ct)
    {
        var clusterName = (self["spec"]?["clusterRef"] as JsonObject)?.GetString("name") ?? "";
        var peers = (await _kube.ListAsync(TopicResources.Topics, self.Namespace(), null, ct).ConfigureAwait(false)).Items;
        var winner = FindOwner(self, kafkaName, clusterName, peers);
        return winner.Uid == (self.Uid() ?? "") ? null : winner;
    }

    private async Task<ReconcileResult> FinalizeAsync(JsonObject obj, Topic topic, string kafkaName, TopicClaim? owner, JsonObject? cluster, CancellationToken ct)
    {
        if (!obj.Finalizers().Contains(TopicResources.Finalizer))
        {
            return ReconcileResult.Done;
        }
        var clusterName = topic.Spec.ClusterRef?.Name ?? "";
        if (owner is not null)
        {
            await RecordAsync(obj, EventTypes.Normal, TopicReasons.DeletionSkipped,
                $"Kafka topic '{kafkaName}' is managed by Topic '{owner.Name}'; deleting this Topic leaves it alone", ct).ConfigureAwait(false);
            await SetFinalizerAsync(obj, false, ct).ConfigureAwait(false);
            return ReconcileResult.Done;
        }
        if (topic.Spec.DeletionPolicy == DeletionPolicy.Retain)
        {
            await RecordAsync(obj, EventTypes.Normal, TopicReasons.Retained,
                $"Kafka topic '{kafkaName}' is kept (deletionPolicy Retain)", ct).ConfigureAwait(false);
            await SetFinalizerAsync(obj, false, ct).ConfigureAwait(false);
            return ReconcileResult.Done;
        }
        if (cluster is null || cluster.IsDeleting())
        {
            // Waiting for a cluster that is gone would hold the Topic (and its namespace) forever.
            await RecordAsync(obj, EventTypes.Warning, TopicReasons.ClusterGone,
                $"KafkaCluster '{clusterName}' is gone; removing the finalizer without deleting Kafka topic '{kafkaName}'", ct).ConfigureAwait(false);
            await SetFinalizerAsync(obj, false, ct).ConfigureAwait(false);
            return ReconcileResult.Done;
        }
        if (ClusterBootstrap(cluster) is not { } bootstrap)
        {
            await WriteStatusAsync(obj, topic, TopicHealth.Reconciling, TopicReasons.ClusterNotReady,
                $"waiting for KafkaCluster '{clusterName}' to be Ready to delete Kafka topic '{kafkaName}'", s => s, ct).ConfigureAwait(false);
            return ReconcileResult.After(_options.ClusterNotReadyRetry);
        }

        if (await FreshOwnerAsync(obj, kafkaName, ct).ConfigureAwait(false) is { } freshOwner)
        {
            return await FinalizeAsync(obj, topic, kafkaName, freshOwner, cluster, ct).ConfigureAwait(false);
        }
        try
        {
            var admin = _admins.Create(bootstrap);
            await using (admin.ConfigureAwait(false))
            {
                var existed = await admin.DeleteTopicAsync(kafkaName, ct).ConfigureAwait(false);
                await RecordAsync(obj, EventTypes.Normal, TopicReasons.Deleted, existed
                    ? $"Deleted Kafka topic '{kafkaName}'"
                    : $"Kafka topic '{kafkaName}' was already gone", ct).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (IsKafkaFailure(e))
        {
            return await ReportKafkaFailureAsync(obj, topic, bootstrap, e, ct).ConfigureAwait(false);
        }
        await SetFinalizerAsync(obj, false, ct).ConfigureAwait(false);
        return ReconcileResult.Done;
    }

    private async Task<ReconcileResult> ReportKafkaFailureAsync(JsonObject obj, Topic topic, string bootstrap, Exception e, CancellationToken ct)
    {
        if (e is TopicAdminException { RequiresSpecChange: true } admin)
        {
            // E.g. INVALID_CONFIG: retrying the same request cannot succeed; the periodic resync still retries.
            await RecordAsync(obj, EventTypes.Warning, TopicReasons.KafkaError, admin.Message, ct).ConfigureAwait(false);
            await WriteStatusAsync(obj, topic, TopicHealth.Stalled, TopicReasons.KafkaError, admin.Message, s => s, ct).ConfigureAwait(false);
            return ReconcileResult.After(_options.ResyncPeriod);
        }
        var message = e is TopicAdminException
            ? e.Message
            : $"cannot reach Kafka at {bootstrap}: {e.Message}";
        await WriteStatusAsync(obj, topic, TopicHealth.Reconciling, TopicReasons.KafkaUnavailable, message, s => s, ct).ConfigureAwait(false);
        // A transient failure is a failed reconcile: the workers count it, log it and retry with backoff.
        throw new TopicReconcileException($"Topic {obj.Namespace()}/{obj.Name()}: {message}", e);
    }

    private static bool IsKafkaFailure(Exception e) =>
        e is TopicAdminException or IOException or SocketException or TimeoutException or ProtocolException;

    private static TopicClaim FindOwner(JsonObject self, string kafkaName, string clusterName, IReadOnlyList<JsonObject> peers)
    {
        var claims = new List<TopicClaim> { Claim(self) };
        foreach (var peer in peers)
        {
            if (peer.Uid() == self.Uid() || peer.Namespace() != self.Namespace())
            {
                continue;
            }
            var spec = peer["spec"] as JsonObject;
            var peerCluster = (spec?["clusterRef"] as JsonObject)?.GetString("name");
            var peerName = spec?.GetString("topicName") ?? peer.Name();
            if (peerCluster == clusterName && peerName == kafkaName)
            {
                claims.Add(Claim(peer));
            }
        }
        return TopicConflicts.Winner(claims);

        static TopicClaim Claim(JsonObject o) =>
            new(o.Name() ?? "", o.Uid() ?? "", KubeJson.ParseTime(o.Metadata().GetString("creationTimestamp")));
    }

    /// <summary>Bootstrap servers of a Ready cluster, or null while it cannot serve admin requests.</summary>
    private static string? ClusterBootstrap(JsonObject? cluster)
    {
        if (cluster is null || cluster.IsDeleting() || cluster["status"] is not JsonObject status)
        {
            return null;
        }
        var ready = (status["conditions"] as JsonArray)?.OfType<JsonObject>()
            .Any(c => c.GetString("type") == ConditionTypes.Ready && c.GetString("status") == nameof(ConditionStatus.True)) ?? false;
        var bootstrap = status.GetString("bootstrapServers");
        return ready && !string.IsNullOrWhiteSpace(bootstrap) ? bootstrap : null;
    }

    private async Task<JsonObject> SetFinalizerAsync(JsonObject obj, bool present, CancellationToken ct)
    {
        var finalizers = obj.Finalizers().ToList();
        var has = finalizers.Contains(TopicResources.Finalizer);
        if (has == present)
        {
            return obj;
        }
        if (present)
        {
            finalizers.Add(TopicResources.Finalizer);
        }
        else
        {
            finalizers.RemoveAll(f => f == TopicResources.Finalizer);
        }
        // resourceVersion makes the merge patch conditional: another writer's finalizer is never dropped.
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["resourceVersion"] = obj.ResourceVersion(),
                ["finalizers"] = finalizers.Count == 0 ? null : new JsonArray(finalizers.Select(f => (JsonNode?)JsonValue.Create(f)).ToArray()),
            },
        };
        try
        {
            return await _kube.PatchAsync(TopicResources.Topics, obj.Namespace(), obj.Name() ?? "", patch, PatchType.Merge, null, ct).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.IsNotFound && !present)
        {
            // Removing our finalizer let the API server finish the deletion: nothing left to patch.
            return obj;
        }
    }

    private async Task WriteStatusAsync(JsonObject obj, Topic? topic, TopicHealth health, string reason, string message, Func<TopicStatus, TopicStatus> fill, CancellationToken ct)
    {
        var previous = topic?.Status;
        var status = new TopicStatus
        {
            ObservedGeneration = obj.Generation(),
            TopicName = topic is null ? previous?.TopicName : TopicValidator.KafkaTopicName(topic),
            TopicId = previous?.TopicId,
            Partitions = previous?.Partitions,
            ReplicationFactor = previous?.ReplicationFactor,
        };
        status = fill(status);
        status.Conditions = TopicConditions.Build(health, reason, message, obj.Generation(), previous?.Conditions, _options.TimeProvider.GetUtcNow());
        var next = JsonSerializer.SerializeToNode(status, ApiJson.Options);
        if (JsonNode.DeepEquals(next, obj["status"]))
        {
            return;
        }
        // Whole-status replacement: fields that no longer apply must disappear, not linger from a merge.
        var body = (JsonObject)obj.DeepClone();
        body["status"] = next;
        try
        {
            await _kube.UpdateStatusAsync(TopicResources.Topics, body, ct).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            // Deleted meanwhile; nothing to report on.
        }
    }

    // Events are best effort: failing to write one must not fail or repeat the reconcile.
    private async Task RecordAsync(JsonObject obj, string type, string reason, string message, CancellationToken ct)
    {
        try
        {
            await _events.RecordAsync(obj, type, reason, message, ct).ConfigureAwait(false);
        }
        catch (KubeApiException)
        {
        }
        catch (HttpRequestException)
        {
        }
    }

    private static string DescribeConfig(IEnumerable<string> keys)
    {
        var list = keys.Order(StringComparer.Ordinal).ToList();
        return list.Count == 0 ? "" : " and config " + string.Join(", ", list);
    }

    private sealed record SyncOutcome(TopicPlan Plan, string? TopicId, int Partitions, int ReplicationFactor, TopicClaim? Owner = null);
}
