using System.Text.Json.Nodes;
using Tributary.Operator.Api;
using Tributary.Operator.Rendering;
using Xunit;

namespace Tributary.Operator.Tests.Rendering;

/// <summary>The documented broker id / zone / ordinal mapping and its stability.</summary>
public sealed class ClusterLayoutTests
{
    private static ClusterLayout Layout(int brokers, int zones = 3, ControllersSpec? controllers = null) =>
        ClusterLayout.Compute("orders", new KafkaClusterSpec { Brokers = brokers, Storage = new StorageSpec { Size = "1Gi" }, Controllers = controllers },
            Samples.ThreeZones.Take(zones).ToList());

    [Fact]
    public void BrokersSpreadEvenlyWithZoneStrideIds()
    {
        var layout = Layout(5);
        Assert.Equal([2, 2, 1], layout.BrokersPerZone);
        Assert.Equal([0, 1, 1000, 1001, 2000], layout.Brokers.Select(b => b.Id));
        var b = layout.Brokers.Single(x => x.Id == 1001);
        Assert.Equal(("eu-west-1b", 1, "orders-eu-west-1b", "orders-eu-west-1b-1", "data-orders-eu-west-1b-1"), (b.Zone, b.Ordinal, b.StatefulSet, b.Pod, b.Pvc));
    }

    [Fact]
    public void AddingBrokersNeverChangesExistingIds()
    {
        for (var n = 1; n < 12; n++)
        {
            var before = Layout(n).Brokers.ToDictionary(b => b.Id, b => b.Pod);
            var after = Layout(n + 1).Brokers.ToDictionary(b => b.Id, b => b.Pod);
            Assert.All(before, kv => Assert.Equal(kv.Value, after[kv.Key]));
            Assert.Equal(n + 1, after.Count);
        }
    }

    [Theory]
    [InlineData(1, 3, new[] { 0 })]
    [InlineData(2, 3, new[] { 0 })]
    [InlineData(3, 3, new[] { 0, 1000, 2000 })]
    [InlineData(6, 3, new[] { 0, 1000, 2000 })]
    [InlineData(6, 5, new[] { 0, 1, 1000, 1001, 2000 })]
    public void CombinedVotersAreTakenOnePerZoneFirst(int brokers, int replicas, int[] voters)
    {
        var layout = Layout(brokers, controllers: new ControllersSpec { Replicas = replicas });
        Assert.Equal(voters, layout.Voters.Select(v => v.Id));
        Assert.Empty(layout.Controllers);
    }

    [Fact]
    public void DedicatedControllersHaveTheirOwnIdsAndAreTheOnlyVoters()
    {
        var layout = Layout(3, controllers: new ControllersSpec { Mode = ControllerMode.Dedicated, Replicas = 3 });
        Assert.Equal([9000, 9001, 9002], layout.Voters.Select(v => v.Id));
        Assert.All(layout.Brokers, b => Assert.False(b.IsVoter));
        Assert.Equal("orders-controller-2", layout.Controllers[2].Pod);
    }

    [Fact]
    public void ZonePlannerKeepsRecordedOrderAndAppendsNewZones()
    {
        Assert.Equal(["b", "a", "c"], ZonePlanner.Resolve(null, ["c", "a", "b"], ["b", "a"]));
        Assert.Equal(["b", "a", "z"], ZonePlanner.Resolve(["z", "a", "b"], [], ["b", "a"]));
        Assert.Equal(["a", "b"], ZonePlanner.Resolve(null, ["b", "a", "", "a"], null));
        Assert.Equal([ZonePlanner.UnzonedName], ZonePlanner.Resolve(null, [], null));
        // A recorded zone whose nodes are gone keeps its index: its volumes are still there.
        Assert.Equal(["a", "b"], ZonePlanner.Resolve(null, ["b"], ["a"]));
    }

    [Theory]
    [InlineData("eu-west-1a", "eu-west-1a")]
    [InlineData("Zone_A", "zone-a-")]
    [InlineData("a-very-long-zone-name-over-21", "a-very-long-z")]
    public void ZoneSuffixesAreDnsLabels(string zone, string expectedPrefix)
    {
        var suffix = ObjectNames.ZoneSuffix(zone);
        Assert.StartsWith(expectedPrefix, suffix, StringComparison.Ordinal);
        Assert.True(ObjectNames.IsDnsLabel(suffix), suffix);
        Assert.True(suffix.Length <= 21, suffix);
        Assert.NotEqual(ObjectNames.ZoneSuffix("zone-a"), ObjectNames.ZoneSuffix("Zone_A"));
    }

    [Fact]
    public void ConfigHashIgnoresNewBrokersButNotConfigChanges()
    {
        static string Hash(KafkaCluster cluster, string zone)
        {
            var render = KafkaClusterRenderer.Render(Samples.Input(cluster));
            var sts = render.Objects.Single(o => o["kind"]!.GetValue<string>() == "StatefulSet" && o["metadata"]!["name"]!.GetValue<string>() == "orders-" + zone);
            return sts["spec"]!["template"]!["metadata"]!["annotations"]![ClusterLabels.ConfigHash]!.GetValue<string>();
        }

        // 4 -> 5 brokers adds a non-voter to zone b, where broker 1000 (a voter) already is; zone c gains nothing.
        var four = Samples.Cluster(s => s.Brokers = 4);
        var five = Samples.Cluster(s => s.Brokers = 5);
        var six = Samples.Cluster(s => s.Brokers = 6);
        Assert.Equal(Hash(four, "eu-west-1c"), Hash(five, "eu-west-1c"));
        Assert.Equal(Hash(five, "eu-west-1a"), Hash(six, "eu-west-1a"));
        var changed = Samples.Cluster(s => s.Config!["log.retention.hours"] = "24");
        Assert.NotEqual(Hash(Samples.Cluster(), "eu-west-1a"), Hash(changed, "eu-west-1a"));
        var newImage = Samples.Cluster(s => s.Image = "example/tributary:2");
        Assert.NotEqual(Hash(Samples.Cluster(), "eu-west-1a"), Hash(newImage, "eu-west-1a"));
    }

    [Fact]
    public void EveryObjectIsOwnedAndLabelled()
    {
        var render = KafkaClusterRenderer.Render(Samples.Input(Samples.Cluster()));
        Assert.All(render.Objects, o =>
        {
            var metadata = o["metadata"]!.AsObject();
            Assert.Equal("kafka", metadata["namespace"]!.GetValue<string>());
            Assert.Equal("orders", metadata["labels"]![ClusterLabels.Instance]!.GetValue<string>());
            Assert.Equal("tributary-operator", metadata["labels"]![ClusterLabels.ManagedBy]!.GetValue<string>());
            var owner = metadata["ownerReferences"]!.AsArray().Single()!;
            Assert.Equal("6f1c2f3e-0000-4000-8000-000000000001", owner["uid"]!.GetValue<string>());
            Assert.True(owner["controller"]!.GetValue<bool>());
        });
        Assert.Equal("orders-bootstrap.kafka.svc:9092", render.BootstrapServers);
    }

    [Fact]
    public void BrokerConfigAdvertisesHeadlessDnsAndListsVoters()
    {
        var render = KafkaClusterRenderer.Render(Samples.Input(Samples.Cluster()));
        var configMap = render.Objects.Single(o => o["kind"]!.GetValue<string>() == "ConfigMap");
        var text = configMap["data"]!["broker-1000.properties"]!.GetValue<string>();
        Assert.Contains("node.id=1000\n", text, StringComparison.Ordinal);
        Assert.Contains("broker.rack=eu-west-1b\n", text, StringComparison.Ordinal);
        Assert.Contains("PLAIN-9092://orders-eu-west-1b-0.orders-brokers.kafka.svc:9092", text, StringComparison.Ordinal);
        Assert.Contains("controller.quorum.voters=0@orders-eu-west-1a-0.orders-brokers.kafka.svc:9090,1000@orders-eu-west-1b-0.orders-brokers.kafka.svc:9090,2000@orders-eu-west-1c-0.orders-brokers.kafka.svc:9090\n", text, StringComparison.Ordinal);
        Assert.Contains("min.insync.replicas=2\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void UserAffinityTermsAreAndedWithTheZone()
    {
        var cluster = Samples.Cluster(s => s.Template = new TemplateSpec { Pod = new PodTemplateOverrides { Affinity = Samples.Affinity() } });
        var input = Samples.Input(cluster);
        var layout = ClusterLayout.Compute(input.Name, cluster.Spec, input.Zones);
        var sts = StatefulSetRenderer.RenderBrokers(input, layout, 0, ClusterConfigPlanner.Plan(input, layout));
        var terms = sts["spec"]!["template"]!["spec"]!["affinity"]!["nodeAffinity"]!["requiredDuringSchedulingIgnoredDuringExecution"]!["nodeSelectorTerms"]!.AsArray();
        var expressions = Assert.Single(terms)!["matchExpressions"]!.AsArray().Select(e => e!["key"]!.GetValue<string>());
        Assert.Equal(["node.kubernetes.io/instance-type", "topology.kubernetes.io/zone"], expressions);
        // The input object is not modified by rendering.
        Assert.Single(cluster.Spec.Template!.Pod!.Affinity!["nodeAffinity"]!["requiredDuringSchedulingIgnoredDuringExecution"]!["nodeSelectorTerms"]![0]!["matchExpressions"]!.AsArray());
        Assert.IsType<JsonObject>(sts["spec"]!["template"]!["spec"]!["affinity"]!["podAntiAffinity"]);
    }
}
