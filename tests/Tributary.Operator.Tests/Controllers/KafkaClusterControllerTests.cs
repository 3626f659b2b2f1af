using System.Text.Json.Nodes;
using Tributary.Kube;
using Tributary.Operator.Controllers;
using Xunit;

namespace Tributary.Operator.Tests.Controllers;

public sealed class KafkaClusterControllerTests
{
    [Fact]
    public async Task Example3az_RendersZonedStatefulSetsServicesAndPdb_AndBecomesReady()
    {
        await using var h = await KafkaClusterHarness.StartAsync();
        var created = await h.CreateClusterAsync();

        var cluster = await h.WaitForClusterAsync(KafkaClusterHarness.IsReadyAtCurrentGeneration, "Ready at the current generation");
        Assert.Equal(created.Generation(), cluster["status"]!["observedGeneration"].AsInt64());
        Assert.Equal("False", KafkaClusterHarness.Condition(cluster, "Reconciling")!.GetString("status"));
        Assert.Equal("False", KafkaClusterHarness.Condition(cluster, "Stalled")!.GetString("status"));

        // One StatefulSet per zone, pinned to its zone, OnDelete.
        var statefulSets = h.List(ResourceDescriptor.StatefulSets);
        Assert.Equal(KafkaClusterHarness.Zones.Select(z => "orders-" + z), statefulSets.Select(s => s.Name()).Order(StringComparer.Ordinal));
        foreach (var zone in KafkaClusterHarness.Zones)
        {
            var sts = statefulSets.Single(s => s.Name() == "orders-" + zone);
            Assert.Equal("OnDelete", sts["spec"]!["updateStrategy"]!["type"]!.GetValue<string>());
            var term = sts["spec"]!["template"]!["spec"]!["affinity"]!["nodeAffinity"]!["requiredDuringSchedulingIgnoredDuringExecution"]!["nodeSelectorTerms"]![0]!["matchExpressions"]![0]!;
            Assert.Equal("topology.kubernetes.io/zone", term["key"]!.GetValue<string>());
            Assert.Equal([zone], term["values"]!.AsArray().Select(v => v!.GetValue<string>()));
        }

        // Per-broker config carries the zone as broker.rack.
        var config = h.Server.Store.Get(ResourceDescriptor.ConfigMaps, KafkaClusterHarness.Namespace, "orders-config");
        var data = config["data"]!.AsObject();
        foreach (var (id, zone) in new[] { (0, "eu-west-1a"), (1000, "eu-west-1b"), (2000, "eu-west-1c") })
        {
            var file = data.Single(p => p.Key.EndsWith($"-{id}.properties", StringComparison.Ordinal)).Value!.GetValue<string>();
            Assert.Contains($"broker.rack={zone}\n", file, StringComparison.Ordinal);
            Assert.Contains($"node.id={id}\n", file, StringComparison.Ordinal);
        }

        Assert.NotNull(h.Server.Store.TryGet(ResourceDescriptor.PodDisruptionBudgets, KafkaClusterHarness.Namespace, "orders-kafka"));
        var services = h.List(ResourceDescriptor.Services).Select(s => s.Name()).ToList();
        Assert.Contains("orders-brokers", services);
        Assert.Contains("orders-bootstrap", services);

        // Status: the broker map, bootstrap address, zones and a cluster id.
        var status = cluster["status"]!;
        var brokers = status["brokers"]!.AsArray().Select(b => (Id: b!["id"]!.GetValue<int>(), Zone: b["zone"]!.GetValue<string>(), Pod: b["pod"]!.GetValue<string>(), Pvc: b["pvc"]!.GetValue<string>(), Ready: b["ready"]!.GetValue<bool>())).ToList();
        Assert.Equal(
            [(0, "eu-west-1a", "orders-eu-west-1a-0", "data-orders-eu-west-1a-0", true), (1000, "eu-west-1b", "orders-eu-west-1b-0", "data-orders-eu-west-1b-0", true), (2000, "eu-west-1c", "orders-eu-west-1c-0", "data-orders-eu-west-1c-0", true)],
            brokers);
        Assert.Equal("orders-bootstrap.kafka.svc:9092", status["bootstrapServers"]!.GetValue<string>());
        Assert.Equal(KafkaClusterHarness.Zones, status["zones"]!.AsArray().Select(z => z!.GetValue<string>()));
        Assert.Matches("^[A-Za-z0-9_-]{22}$", status["clusterId"]!.GetValue<string>());
        Assert.Contains($"cluster.id={status["clusterId"]!.GetValue<string>()}", data.First(p => p.Key.EndsWith(".properties", StringComparison.Ordinal)).Value!.GetValue<string>(), StringComparison.Ordinal);

        var createdEvent = Assert.Single(h.Events(EventReasons.Created));
        Assert.Contains("StatefulSet orders-eu-west-1a", createdEvent.GetString("message"), StringComparison.Ordinal);
        Assert.True(h.Metrics.ReconcileCount(KafkaClusterController.ControllerName) > 0);
    }

    [Fact]
    public async Task DiscoversZonesFromNodeLabels_WhenSpecListsNone()
    {
        await using var h = await KafkaClusterHarness.StartAsync();
        var example = KafkaClusterHarness.Example();
        example["spec"]!.AsObject().Remove("zones");
        example["spec"]!["brokers"] = 6;
        await h.CreateClusterAsync(example);

        var cluster = await h.WaitForClusterAsync(KafkaClusterHarness.IsReadyAtCurrentGeneration, "Ready");
        Assert.Equal(KafkaClusterHarness.Zones, cluster["status"]!["zones"]!.AsArray().Select(z => z!.GetValue<string>()));
        Assert.Equal([0, 1, 1000, 1001, 2000, 2001], cluster["status"]!["brokers"]!.AsArray().Select(b => b!["id"]!.GetValue<int>()));
        Assert.All(h.List(ResourceDescriptor.StatefulSets), s => Assert.Equal(2, s["spec"]!["replicas"].AsInt64()));
    }

    [Fact]
    public async Task RemovedListener_ItsServicesArePruned_ClaimsStay()
    {
        await using var h = await KafkaClusterHarness.StartAsync();
        var example = KafkaClusterHarness.Example();
        example["spec"]!["listeners"]!.AsArray().Add(new JsonObject
        {
            ["name"] = "external", ["port"] = 9094, ["type"] = "loadbalancer", ["tls"] = false, ["authentication"] = "none",
        });
        await h.CreateClusterAsync(example);
        await h.WaitForClusterAsync(KafkaClusterHarness.IsReadyAtCurrentGeneration, "Ready with an external listener");
        Assert.Contains("orders-external-bootstrap", h.List(ResourceDescriptor.Services).Select(s => s.Name()));
        Assert.Contains("orders-external-1000", h.List(ResourceDescriptor.Services).Select(s => s.Name()));
        var claims = h.List(ResourceDescriptor.PersistentVolumeClaims).Select(c => c.Uid()).Order(StringComparer.Ordinal).ToList();

        var listeners = (JsonArray)example["spec"]!["listeners"]!.DeepClone();
        listeners.RemoveAt(listeners.Count - 1);
        await h.PatchSpecAsync(new JsonObject { ["listeners"] = listeners });

        await KafkaClusterHarness.WaitUntilAsync(
            () => Task.FromResult(!h.List(ResourceDescriptor.Services).Any(s => s.Name()!.StartsWith("orders-external", StringComparison.Ordinal))),
            () => "external listener Services deleted");
        await h.WaitForClusterAsync(KafkaClusterHarness.IsReadyAtCurrentGeneration, "Ready after removing the listener");
        Assert.Contains("orders-bootstrap", h.List(ResourceDescriptor.Services).Select(s => s.Name()));
        Assert.Equal(claims, h.List(ResourceDescriptor.PersistentVolumeClaims).Select(c => c.Uid()).Order(StringComparer.Ordinal));
        Assert.Contains(h.Events(EventReasons.Deleted), e => e.GetString("message")!.Contains("Service orders-external-bootstrap", StringComparison.Ordinal));
    }

    public static TheoryData<string, string, string> InvalidSpecs => new()
    {
        { "zero brokers", """{"brokers": 0}""", "spec.brokers must be at least 1" },
        { "a removed zone", """{"zones": ["eu-west-1a", "eu-west-1b"]}""", "zones cannot be removed" },
        { "a forbidden config key", """{"config": {"node.id": "7"}}""", "node.id" },
        { "a malformed storage size", """{"storage": {"size": "lots"}}""", "spec.storage.size" },
    };

    [Theory]
    [MemberData(nameof(InvalidSpecs))]
    public async Task InvalidSpec_Stalls_AndChangesNothing(string what, string specPatch, string expectedMessage)
    {
        await using var h = await KafkaClusterHarness.StartAsync();
        await h.CreateClusterAsync();
        await h.WaitForClusterAsync(KafkaClusterHarness.IsReadyAtCurrentGeneration, "Ready before the bad edit");
        var before = Snapshot(h);

        var patched = await h.PatchSpecAsync(JsonNode.Parse(specPatch)!.AsObject());
        var stalled = await h.WaitForClusterAsync(
            c => c["status"]?["observedGeneration"].AsInt64() == patched.Generation() && KafkaClusterHarness.Condition(c, "Stalled")?.GetString("status") == "True",
            "Stalled after " + what);

        var condition = KafkaClusterHarness.Condition(stalled, "Stalled")!;
        Assert.Equal(ConditionReasons.InvalidSpec, condition.GetString("reason"));
        Assert.Contains(expectedMessage, condition.GetString("message"), StringComparison.Ordinal);
        Assert.Equal("False", KafkaClusterHarness.Condition(stalled, "Ready")!.GetString("status"));
        Assert.Equal(3, stalled["status"]!["brokers"]!.AsArray().Count);
        Assert.Contains(h.Events(EventReasons.InvalidSpec), e => e.GetString("type") == "Warning" && e.GetString("message")!.Contains(expectedMessage, StringComparison.Ordinal));

        // Give the controller time to (wrongly) act on the bad spec, then check nothing moved.
        await Task.Delay(300);
        Assert.Equal(before, Snapshot(h));
    }

    // Uid, spec and data of every object the cluster owns: any apply, delete or restart changes them
    // (status is left out: the fake StatefulSet controller keeps writing it).
    private static List<string> Snapshot(KafkaClusterHarness h) =>
        new[] { ResourceDescriptor.StatefulSets, ResourceDescriptor.Services, ResourceDescriptor.ConfigMaps, ResourceDescriptor.PersistentVolumeClaims, ResourceDescriptor.PodDisruptionBudgets }
            .SelectMany(r => h.List(r).Select(o => $"{r.Kind}/{o.Name()}/{o.Uid()}/{o["metadata"]!["labels"]?.ToJsonString()}/{o["spec"]?.ToJsonString()}/{o["data"]?.ToJsonString()}"))
            .Concat(h.List(ResourceDescriptor.Pods).Select(p => $"Pod/{p.Name()}/{p.Uid()}"))
            .Order(StringComparer.Ordinal)
            .ToList();
}
