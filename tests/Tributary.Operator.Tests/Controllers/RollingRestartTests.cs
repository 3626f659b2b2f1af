using System.Text.Json.Nodes;
using Tributary.Kube;
using Tributary.Operator.Controllers;
using Tributary.Operator.Rolling;
using Xunit;

namespace Tributary.Operator.Tests.Controllers;

public sealed class RollingRestartTests
{
    private static Dictionary<string, string> PodUids(KafkaClusterHarness h) =>
        h.List(ResourceDescriptor.Pods).ToDictionary(p => p.Name()!, p => p.Uid()!);

    [Fact]
    public async Task SpecChanges_RollOneBrokerAtATime_ActiveControllerLast_GatedByTheProbe()
    {
        FakeSafetyProbe? probe = null;
        await using var h = await KafkaClusterHarness.StartAsync(probeFactory: s => probe = new FakeSafetyProbe(s.Store, activeController: 0, refusals: 1));
        await h.CreateClusterAsync();
        await h.WaitForClusterAsync(KafkaClusterHarness.IsReadyAtCurrentGeneration, "Ready before the change");
        var before = PodUids(h);
        Assert.Equal(3, before.Count);

        // A config change: new config hash on every StatefulSet.
        await h.PatchSpecAsync(new JsonObject { ["config"] = new JsonObject { ["log.retention.hours"] = "24" } });
        await h.WaitForClusterAsync(KafkaClusterHarness.IsReadyAtCurrentGeneration, "Ready after the config roll");

        var after = PodUids(h);
        Assert.All(before, p => Assert.NotEqual(p.Value, after[p.Key]));
        Assert.Equal(1, probe!.Refused);
        Assert.Equal([1000, 2000, 0], probe.Approved);
        Assert.Empty(probe.Violations);
        var restarts = h.Events(EventReasons.RollingRestart).Select(e => e.GetString("message")).ToList();
        Assert.Equal(
            ["Restarting pod orders-eu-west-1b-0 (node 1000): config changed", "Restarting pod orders-eu-west-1c-0 (node 2000): config changed", "Restarting pod orders-eu-west-1a-0 (node 0): config changed"],
            restarts);
        foreach (var pod in h.List(ResourceDescriptor.Pods))
        {
            var sts = h.Server.Store.Get(ResourceDescriptor.StatefulSets, KafkaClusterHarness.Namespace, pod.Name()![..pod.Name()!.LastIndexOf('-')]);
            Assert.Equal(sts["status"]!["updateRevision"]!.GetValue<string>(), pod.Label("controller-revision-hash"));
        }

        // A pod template change that leaves the config alone (resources): same order, other reason.
        await h.PatchSpecAsync(new JsonObject { ["resources"] = new JsonObject { ["limits"] = new JsonObject { ["memory"] = "6Gi" } } });
        await h.WaitForClusterAsync(KafkaClusterHarness.IsReadyAtCurrentGeneration, "Ready after the template roll");
        Assert.Equal([1000, 2000, 0, 1000, 2000, 0], probe.Approved);
        Assert.Empty(probe.Violations);
        Assert.Equal(3, h.Events(EventReasons.RollingRestart).Count(e => e.GetString("message")!.EndsWith(RollReasons.PodTemplateChanged, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task RefusingProbe_HoldsTheRoll_AndStatusSaysWhy()
    {
        await using var h = await KafkaClusterHarness.StartAsync(probeFactory: s => new FakeSafetyProbe(s.Store, activeController: null, refusals: int.MaxValue));
        await h.CreateClusterAsync();
        await h.WaitForClusterAsync(KafkaClusterHarness.IsReadyAtCurrentGeneration, "Ready before the change");
        var before = PodUids(h);

        var patched = await h.PatchSpecAsync(new JsonObject { ["config"] = new JsonObject { ["log.retention.hours"] = "24" } });
        var blocked = await h.WaitForClusterAsync(
            c => c["status"]?["observedGeneration"].AsInt64() == patched.Generation() && KafkaClusterHarness.Condition(c, "Ready")?.GetString("reason") == ConditionReasons.RollBlocked,
            "RollBlocked");
        Assert.Contains("below min.insync.replicas=2", KafkaClusterHarness.Condition(blocked, "Reconciling")!.GetString("message"), StringComparison.Ordinal);
        Assert.Equal("True", KafkaClusterHarness.Condition(blocked, "Reconciling")!.GetString("status"));
        await Task.Delay(300);
        Assert.Equal(before, PodUids(h));
        Assert.Empty(h.Events(EventReasons.RollingRestart));
    }
}
