using System.Text.Json.Nodes;
using Tributary.Kube;
using Tributary.Operator.Api;
using Tributary.Operator.Controllers.Topics;
using Tributary.Protocol;
using Xunit;

namespace Tributary.Operator.Tests.Topics;

/// <summary>The topic controller end to end: fake API server, in-memory Kafka behind the admin port.</summary>
public sealed class TopicControllerTests
{
    private const string Cluster = "prod";

    private static async Task<(TopicControllerHarness Harness, InMemoryKafka Kafka)> StartAsync(TopicControllerOptions? options = null, bool withCluster = true)
    {
        var kafka = new InMemoryKafka();
        var harness = await TopicControllerHarness.StartAsync(kafka, options);
        if (withCluster)
        {
            await harness.CreateClusterAsync(Cluster, kafka.BootstrapServers);
        }
        return (harness, kafka);
    }

    [Fact]
    public async Task Create_MakesTheKafkaTopic_AddsFinalizer_AndReportsReady()
    {
        var (h, kafka) = await StartAsync();
        await using var _ = h;
        await h.CreateTopicAsync("orders", Cluster, partitions: 6, replicationFactor: 3, config: new() { ["retention.ms"] = "86400000", ["cleanup.policy"] = "compact" });

        var obj = await h.WaitForConditionAsync("orders", ConditionTypes.Ready, ConditionStatus.True, TopicReasons.Ready);

        var topic = kafka.Get("orders");
        Assert.NotNull(topic);
        Assert.Equal(6, topic.Partitions);
        Assert.Equal(3, topic.ReplicationFactor);
        Assert.Equal(new Dictionary<string, string> { ["retention.ms"] = "86400000", ["cleanup.policy"] = "compact" }, topic.Configs);
        var status = TopicControllerHarness.Typed(obj).Status!;
        Assert.Equal("orders", status.TopicName);
        Assert.Equal(topic.TopicId, status.TopicId);
        Assert.Equal(6, status.Partitions);
        Assert.Equal(3, status.ReplicationFactor);
        Assert.Equal(1, status.ObservedGeneration);
        Assert.Equal(ConditionStatus.False, TopicControllerHarness.ConditionOf(obj, ConditionTypes.Stalled)!.Status);
        Assert.Equal(ConditionStatus.False, TopicControllerHarness.ConditionOf(obj, ConditionTypes.Reconciling)!.Status);
        Assert.Contains(TopicResources.Finalizer, obj.Finalizers());
        Assert.Contains(await h.EventsForAsync("orders"), e => e.Reason == TopicReasons.Created && e.Message.Contains("6 partition(s)", StringComparison.Ordinal));
        Assert.Equal(["create orders"], kafka.Operations);
    }

    [Fact]
    public async Task SpecTopicName_IsTheKafkaName()
    {
        var (h, kafka) = await StartAsync();
        await using var _ = h;
        await h.CreateTopicAsync("payments-v1", Cluster, topicName: "Payments_V1");

        var obj = await h.WaitForConditionAsync("payments-v1", ConditionTypes.Ready, ConditionStatus.True);
        Assert.NotNull(kafka.Get("Payments_V1"));
        Assert.Null(kafka.Get("payments-v1"));
        Assert.Equal("Payments_V1", TopicControllerHarness.Typed(obj).Status!.TopicName);
    }

    [Fact]
    public async Task GrowingPartitions_CreatesPartitions()
    {
        var (h, kafka) = await StartAsync();
        await using var _ = h;
        await h.CreateTopicAsync("orders", Cluster, partitions: 3);
        await h.WaitForConditionAsync("orders", ConditionTypes.Ready, ConditionStatus.True);

        await h.PatchSpecAsync("orders", new JsonObject { ["partitions"] = 8 });

        var obj = await h.WaitForConditionAsync("orders", ConditionTypes.Ready, ConditionStatus.True);
        Assert.Equal(2, TopicControllerHarness.Typed(obj).Status!.ObservedGeneration);
        Assert.Equal(8, TopicControllerHarness.Typed(obj).Status!.Partitions);
        Assert.Equal(8, kafka.Get("orders")!.Partitions);
        Assert.Contains("partitions orders 8", kafka.Operations);
        Assert.Contains(await h.EventsForAsync("orders"), e => e.Reason == TopicReasons.PartitionsIncreased && e.Message.Contains("from 3 to 8", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ChangingConfig_SetsAndDeletesOverrides()
    {
        var (h, kafka) = await StartAsync();
        await using var _ = h;
        await h.CreateTopicAsync("orders", Cluster, config: new() { ["retention.ms"] = "1000", ["segment.bytes"] = "1048576" });
        await h.WaitForConditionAsync("orders", ConditionTypes.Ready, ConditionStatus.True);

        // Merge patch: change one key, drop another, add a third.
        await h.PatchSpecAsync("orders", new JsonObject
        {
            ["config"] = new JsonObject { ["retention.ms"] = "2000", ["segment.bytes"] = null, ["cleanup.policy"] = "compact" },
        });

        await h.WaitUntilAsync(
            () => kafka.Get("orders")!.Configs.Count == 2 && kafka.Get("orders")!.Configs.GetValueOrDefault("retention.ms") == "2000",
            () => "config update, have " + string.Join(",", kafka.Get("orders")!.Configs));
        Assert.Equal(new Dictionary<string, string> { ["retention.ms"] = "2000", ["cleanup.policy"] = "compact" }, kafka.Get("orders")!.Configs);
        await h.WaitForConditionAsync("orders", ConditionTypes.Ready, ConditionStatus.True);
        Assert.Contains(await h.EventsForAsync("orders"), e => e.Reason == TopicReasons.ConfigUpdated && e.Message.Contains("reverted to default segment.bytes", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OutOfBandConfigChange_IsRevertedOnResync()
    {
        var (h, kafka) = await StartAsync(new TopicControllerOptions { ResyncPeriod = TimeSpan.FromMilliseconds(300) });
        await using var _ = h;
        await h.CreateTopicAsync("orders", Cluster, config: new() { ["retention.ms"] = "1000" });
        await h.WaitForConditionAsync("orders", ConditionTypes.Ready, ConditionStatus.True);

        // Nothing changes in Kubernetes: only the periodic resync can notice this.
        kafka.SetConfigOutOfBand("orders", "retention.ms", "999999");
        kafka.SetConfigOutOfBand("orders", "max.message.bytes", "5000000");

        await h.WaitUntilAsync(
            () => kafka.Get("orders")!.Configs.Count == 1 && kafka.Get("orders")!.Configs.GetValueOrDefault("retention.ms") == "1000",
            () => "revert, have " + string.Join(",", kafka.Get("orders")!.Configs));
        Assert.Contains("alter orders", kafka.Operations);
    }

    [Fact]
    public async Task TopicDeletedOutOfBand_IsRecreatedOnResync()
    {
        var (h, kafka) = await StartAsync(new TopicControllerOptions { ResyncPeriod = TimeSpan.FromMilliseconds(300) });
        await using var _ = h;
        await h.CreateTopicAsync("orders", Cluster, partitions: 4);
        await h.WaitForConditionAsync("orders", ConditionTypes.Ready, ConditionStatus.True);
        var firstId = kafka.Get("orders")!.TopicId;

        var admin = kafka.Create(kafka.BootstrapServers);
        await using (admin)
        {
            Assert.True(await admin.DeleteTopicAsync("orders"));
        }

        await h.WaitUntilAsync(() => kafka.Get("orders") is { } t && t.TopicId != firstId, () => "recreation");
        Assert.Equal(4, kafka.Get("orders")!.Partitions);
    }

    [Fact]
    public async Task PartitionDecrease_IsStalled_AndChangesNothing()
    {
        var (h, kafka) = await StartAsync();
        await using var _ = h;
        await h.CreateTopicAsync("orders", Cluster, partitions: 6);
        await h.WaitForConditionAsync("orders", ConditionTypes.Ready, ConditionStatus.True);

        await h.PatchSpecAsync("orders", new JsonObject { ["partitions"] = 2 });

        var obj = await h.WaitForConditionAsync("orders", ConditionTypes.Stalled, ConditionStatus.True, TopicReasons.PartitionDecreaseNotSupported);
        Assert.Equal(ConditionStatus.False, TopicControllerHarness.ConditionOf(obj, ConditionTypes.Ready)!.Status);
        Assert.Equal(TopicReasons.PartitionDecreaseNotSupported, TopicControllerHarness.ConditionOf(obj, ConditionTypes.Ready)!.Reason);
        Assert.Contains("cannot remove partitions", TopicControllerHarness.ConditionOf(obj, ConditionTypes.Stalled)!.Message, StringComparison.Ordinal);
        Assert.Equal(6, TopicControllerHarness.Typed(obj).Status!.Partitions);
        Assert.Equal(6, kafka.Get("orders")!.Partitions);
        Assert.Equal(["create orders"], kafka.Operations);

        // Setting it back recovers without any Kafka change.
        await h.PatchSpecAsync("orders", new JsonObject { ["partitions"] = 6 });
        await h.WaitForConditionAsync("orders", ConditionTypes.Ready, ConditionStatus.True);
        Assert.Equal(["create orders"], kafka.Operations);
    }

    [Fact]
    public async Task ReplicationFactorChange_IsStalled()
    {
        var (h, kafka) = await StartAsync();
        await using var _ = h;
        await h.CreateTopicAsync("orders", Cluster, replicationFactor: 3);
        await h.WaitForConditionAsync("orders", ConditionTypes.Ready, ConditionStatus.True);

        await h.PatchSpecAsync("orders", new JsonObject { ["replicationFactor"] = 2 });

        var obj = await h.WaitForConditionAsync("orders", ConditionTypes.Stalled, ConditionStatus.True, TopicReasons.ReplicationFactorChangeNotSupported);
        Assert.Equal(3, kafka.Get("orders")!.ReplicationFactor);
        Assert.Equal(3, TopicControllerHarness.Typed(obj).Status!.ReplicationFactor);
        Assert.Contains(await h.EventsForAsync("orders"), e => e.Reason == TopicReasons.ReplicationFactorChangeNotSupported && e.Type == EventTypes.Warning);
    }

    [Fact]
    public async Task NameConflict_OldestWins_AndTheLoserNeverTouchesTheTopic()
    {
        var (h, kafka) = await StartAsync();
        await using var _ = h;
        await h.CreateTopicAsync("orders", Cluster, partitions: 3, config: new() { ["retention.ms"] = "1000" });
        await h.WaitForConditionAsync("orders", ConditionTypes.Ready, ConditionStatus.True);
        // creationTimestamp has second precision: make the second claim strictly younger.
        await Task.Delay(1100);
        await h.CreateTopicAsync("orders-copy", Cluster, partitions: 12, config: new() { ["retention.ms"] = "5" }, topicName: "orders");

        var loser = await h.WaitForConditionAsync("orders-copy", ConditionTypes.Stalled, ConditionStatus.True, TopicReasons.TopicNameConflict);
        Assert.Contains("Topic 'orders'", TopicControllerHarness.ConditionOf(loser, ConditionTypes.Stalled)!.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(TopicResources.Finalizer, loser.Finalizers());
        Assert.Equal(3, kafka.Get("orders")!.Partitions);
        Assert.Equal("1000", kafka.Get("orders")!.Configs["retention.ms"]);
        Assert.Contains(await h.EventsForAsync("orders-copy"), e => e.Reason == TopicReasons.TopicNameConflict);
        var winner = await h.WaitForConditionAsync("orders", ConditionTypes.Ready, ConditionStatus.True);
        Assert.Equal(ConditionStatus.False, TopicControllerHarness.ConditionOf(winner, ConditionTypes.Stalled)!.Status);

        // Deleting the loser leaves the topic alone.
        await h.DeleteTopicAsync("orders-copy");
        await h.WaitUntilAsync(async () => await h.GetTopicAsync("orders-copy") is null, () => "loser gone");
        Assert.NotNull(kafka.Get("orders"));
        Assert.Equal(["create orders"], kafka.Operations);
    }

    [Fact]
    public async Task NameConflict_WhenTheOwnerGoes_TheNextClaimTakesOver()
    {
        var (h, kafka) = await StartAsync();
        await using var _ = h;
        await h.CreateTopicAsync("orders", Cluster, partitions: 3);
        await h.WaitForConditionAsync("orders", ConditionTypes.Ready, ConditionStatus.True);
        await Task.Delay(1100);
        await h.CreateTopicAsync("orders-copy", Cluster, partitions: 5, topicName: "orders");
        await h.WaitForConditionAsync("orders-copy", ConditionTypes.Stalled, ConditionStatus.True, TopicReasons.TopicNameConflict);

        await h.DeleteTopicAsync("orders");

        // The owner deletes the topic (policy Delete), then the remaining claim recreates it from its own spec.
        var obj = await h.WaitForConditionAsync("orders-copy", ConditionTypes.Ready, ConditionStatus.True);
        Assert.Equal(5, kafka.Get("orders")!.Partitions);
        Assert.Contains(TopicResources.Finalizer, obj.Finalizers());
        Assert.Equal(["create orders", "delete orders", "create orders"], kafka.Operations);
    }

    [Fact]
    public async Task Delete_WithDeletePolicy_DeletesTheTopicThenReleasesTheResource()
    {
        var (h, kafka) = await StartAsync();
        await using var _ = h;
        await h.CreateTopicAsync("orders", Cluster);
        await h.WaitForConditionAsync("orders", ConditionTypes.Ready, ConditionStatus.True);

        await h.DeleteTopicAsync("orders");

        await h.WaitUntilAsync(async () => await h.GetTopicAsync("orders") is null, () => "Topic resource gone");
        Assert.Null(kafka.Get("orders"));
        Assert.Equal(["create orders", "delete orders"], kafka.Operations);
        Assert.Contains(await h.EventsForAsync("orders"), e => e.Reason == TopicReasons.Deleted);
    }

    [Fact]
    public async Task Delete_WithRetainPolicy_KeepsTheTopic()
    {
        var (h, kafka) = await StartAsync();
        await using var _ = h;
        await h.CreateTopicAsync("orders", Cluster, deletionPolicy: DeletionPolicy.Retain);
        var obj = await h.WaitForConditionAsync("orders", ConditionTypes.Ready, ConditionStatus.True);
        Assert.DoesNotContain(TopicResources.Finalizer, obj.Finalizers());

        await h.DeleteTopicAsync("orders");

        await h.WaitUntilAsync(async () => await h.GetTopicAsync("orders") is null, () => "Topic resource gone");
        Assert.NotNull(kafka.Get("orders"));
        Assert.Equal(["create orders"], kafka.Operations);
    }

    [Fact]
    public async Task SwitchingToRetain_BeforeDeletion_KeepsTheTopic()
    {
        var (h, kafka) = await StartAsync();
        await using var _ = h;
        await h.CreateTopicAsync("orders", Cluster);
        await h.WaitForConditionAsync("orders", ConditionTypes.Ready, ConditionStatus.True);

        await h.PatchSpecAsync("orders", new JsonObject { ["deletionPolicy"] = "Retain" });
        await h.WaitUntilAsync(async () => (await h.GetTopicAsync("orders"))!.Finalizers().Count == 0, () => "finalizer dropped");
        await h.DeleteTopicAsync("orders");

        await h.WaitUntilAsync(async () => await h.GetTopicAsync("orders") is null, () => "Topic resource gone");
        Assert.NotNull(kafka.Get("orders"));
    }

    [Fact]
    public async Task ClusterMissing_IsReconciling_ThenReadyWhenTheClusterComes()
    {
        var (h, kafka) = await StartAsync(withCluster: false);
        await using var _ = h;
        await h.CreateTopicAsync("orders", Cluster);

        var obj = await h.WaitForConditionAsync("orders", ConditionTypes.Reconciling, ConditionStatus.True, TopicReasons.ClusterNotReady);
        Assert.Equal(ConditionStatus.False, TopicControllerHarness.ConditionOf(obj, ConditionTypes.Ready)!.Status);
        Assert.Equal(TopicReasons.ClusterNotReady, TopicControllerHarness.ConditionOf(obj, ConditionTypes.Ready)!.Reason);
        Assert.Contains("not found", TopicControllerHarness.ConditionOf(obj, ConditionTypes.Ready)!.Message, StringComparison.Ordinal);
        Assert.Null(kafka.Get("orders"));

        // A cluster that exists but is not Ready yet still waits.
        await h.CreateClusterAsync(Cluster, bootstrapServers: null);
        await h.WaitUntilAsync(async () => TopicControllerHarness.ConditionOf((await h.GetTopicAsync("orders"))!, ConditionTypes.Ready)!.Message!.Contains("not Ready", StringComparison.Ordinal), () => "not-ready message");
        Assert.Null(kafka.Get("orders"));

        // The cluster turning Ready wakes the Topic well before the 30 s retry.
        await h.SetClusterReadyAsync(Cluster, kafka.BootstrapServers);
        await h.WaitForConditionAsync("orders", ConditionTypes.Ready, ConditionStatus.True, timeout: TimeSpan.FromSeconds(10));
        Assert.NotNull(kafka.Get("orders"));
    }

    [Fact]
    public async Task Deletion_WhenTheClusterIsGone_RemovesTheFinalizerWithAnEvent()
    {
        var (h, kafka) = await StartAsync();
        await using var _ = h;
        await h.CreateTopicAsync("orders", Cluster);
        await h.WaitForConditionAsync("orders", ConditionTypes.Ready, ConditionStatus.True);

        await h.Client.DeleteAsync(TopicResources.KafkaClusters, TopicControllerHarness.Namespace, Cluster);
        await h.DeleteTopicAsync("orders");

        await h.WaitUntilAsync(async () => await h.GetTopicAsync("orders") is null, () => "Topic resource gone");
        Assert.Contains(await h.EventsForAsync("orders"), e => e.Reason == TopicReasons.ClusterGone && e.Type == EventTypes.Warning);
        Assert.Equal(["create orders"], kafka.Operations);
    }

    [Fact]
    public async Task InvalidConfig_FromKafka_IsStalledWithKafkasMessage()
    {
        var (h, kafka) = await StartAsync();
        await using var _ = h;
        await h.CreateTopicAsync("orders", Cluster, config: new() { ["retention.ms"] = "forever" });

        var obj = await h.WaitForConditionAsync("orders", ConditionTypes.Stalled, ConditionStatus.True, TopicReasons.KafkaError);
        var message = TopicControllerHarness.ConditionOf(obj, ConditionTypes.Stalled)!.Message;
        Assert.Equal("CreateTopics failed: INVALID_CONFIG: Invalid value forever for configuration retention.ms: Not a number of type LONG", message);
        Assert.Null(kafka.Get("orders"));

        await h.PatchSpecAsync("orders", new JsonObject { ["config"] = new JsonObject { ["retention.ms"] = "60000" } });
        await h.WaitForConditionAsync("orders", ConditionTypes.Ready, ConditionStatus.True);
        Assert.Equal("60000", kafka.Get("orders")!.Configs["retention.ms"]);
    }

    [Fact]
    public async Task InvalidSpec_IsStalledBeforeKafkaIsAsked()
    {
        var (h, kafka) = await StartAsync();
        await using var _ = h;
        await h.CreateTopicAsync("orders", Cluster, replicationFactor: 2, config: new() { ["min.insync.replicas"] = "3" });

        var obj = await h.WaitForConditionAsync("orders", ConditionTypes.Stalled, ConditionStatus.True, TopicReasons.InvalidSpec);
        Assert.Contains("min.insync.replicas", TopicControllerHarness.ConditionOf(obj, ConditionTypes.Stalled)!.Message, StringComparison.Ordinal);
        Assert.Empty(kafka.Operations);
    }

    [Fact]
    public async Task KafkaUnavailable_IsReconcilingAndRetried()
    {
        var (h, kafka) = await StartAsync();
        await using var _ = h;
        kafka.FailAllWith = ErrorCode.NotController;
        await h.CreateTopicAsync("orders", Cluster);

        var obj = await h.WaitForConditionAsync("orders", ConditionTypes.Reconciling, ConditionStatus.True, TopicReasons.KafkaUnavailable);
        Assert.Contains("NOT_CONTROLLER", TopicControllerHarness.ConditionOf(obj, ConditionTypes.Reconciling)!.Message, StringComparison.Ordinal);

        // Backoff retries (not the 30 s resync) pick it up once Kafka answers again.
        kafka.FailAllWith = null;
        await h.WaitForConditionAsync("orders", ConditionTypes.Ready, ConditionStatus.True, timeout: TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task UnreachableBootstrap_IsReportedAsKafkaUnavailable()
    {
        var kafka = new InMemoryKafka();
        var h = await TopicControllerHarness.StartAsync(kafka);
        await using var _ = h;
        await h.CreateClusterAsync(Cluster, "nowhere.invalid:9092");
        await h.CreateTopicAsync("orders", Cluster);

        var obj = await h.WaitForConditionAsync("orders", ConditionTypes.Reconciling, ConditionStatus.True, TopicReasons.KafkaUnavailable);
        Assert.Contains("cannot reach Kafka at nowhere.invalid:9092", TopicControllerHarness.ConditionOf(obj, ConditionTypes.Ready)!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefusedDelete_IsReported_AndSwitchingToRetainLetsTheTopicGo()
    {
        var (h, kafka) = await StartAsync();
        await using var _ = h;
        await h.CreateTopicAsync("orders", Cluster);
        await h.WaitForConditionAsync("orders", ConditionTypes.Ready, ConditionStatus.True);
        kafka.FailDeletesWith = ErrorCode.TopicDeletionDisabled;

        await h.DeleteTopicAsync("orders");

        var obj = await h.WaitForConditionAsync("orders", ConditionTypes.Stalled, ConditionStatus.True, TopicReasons.KafkaError);
        Assert.Equal("DeleteTopics failed: TOPIC_DELETION_DISABLED: Topic deletion is disabled.", TopicControllerHarness.ConditionOf(obj, ConditionTypes.Stalled)!.Message);
        Assert.True(obj.IsDeleting());

        // The documented way out: keep the topic, release the resource.
        await h.PatchSpecAsync("orders", new JsonObject { ["deletionPolicy"] = "Retain" });
        await h.WaitUntilAsync(async () => await h.GetTopicAsync("orders") is null, () => "Topic resource gone");
        Assert.NotNull(kafka.Get("orders"));
    }

    [Fact]
    public async Task NamespaceDeletion_WithClusterAndTopics_Completes()
    {
        var (h, kafka) = await StartAsync(withCluster: false);
        await using var _ = h;
        const string ns = "team-a";
        await h.Client.CreateAsync(ResourceDescriptor.Namespaces, new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = ns } });
        var cluster = await h.Client.CreateAsync(TopicResources.KafkaClusters, new JsonObject
        {
            ["apiVersion"] = KafkaApi.ApiVersion,
            ["kind"] = "KafkaCluster",
            ["metadata"] = new JsonObject { ["name"] = Cluster, ["namespace"] = ns },
            ["spec"] = new JsonObject { ["brokers"] = 3, ["storage"] = new JsonObject { ["size"] = "1Gi" } },
        });
        cluster["status"] = new JsonObject
        {
            ["bootstrapServers"] = kafka.BootstrapServers,
            ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "True", ["reason"] = "Ready" }),
        };
        await h.Client.UpdateStatusAsync(TopicResources.KafkaClusters, cluster);
        foreach (var name in new[] { "orders", "payments" })
        {
            await h.Client.CreateAsync(TopicResources.Topics, new JsonObject
            {
                ["apiVersion"] = KafkaApi.ApiVersion,
                ["kind"] = "Topic",
                ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
                ["spec"] = new JsonObject { ["clusterRef"] = new JsonObject { ["name"] = Cluster }, ["partitions"] = 1, ["replicationFactor"] = 3 },
            });
        }
        await h.WaitUntilAsync(async () =>
        {
            var topics = (await h.Client.ListAsync(TopicResources.Topics, ns)).Items;
            return topics.Count == 2 && topics.All(t => t.Finalizers().Contains(TopicResources.Finalizer)
                && TopicControllerHarness.ConditionOf(t, ConditionTypes.Ready)?.Status == ConditionStatus.True);
        }, () => "both Topics Ready with finalizers");

        await h.Client.DeleteAsync(ResourceDescriptor.Namespaces, null, ns);

        await h.WaitUntilAsync(async () => await h.Client.TryGetAsync(ResourceDescriptor.Namespaces, null, ns) is null, () => "namespace gone");
    }
}
