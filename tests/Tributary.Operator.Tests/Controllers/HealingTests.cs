using Tributary.Kube;
using Tributary.Operator.Controllers;
using Xunit;

namespace Tributary.Operator.Tests.Controllers;

public sealed class HealingTests
{
    private const string Pod = "orders-eu-west-1a-0";

    [Fact]
    public async Task PodOnNotReadyNode_IsForceDeletedAfterTheTimeout_AndKeepsItsClaim()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var h = await KafkaClusterHarness.StartAsync(time: clock);
        await h.CreateClusterAsync();
        await h.WaitForClusterAsync(KafkaClusterHarness.IsReadyAtCurrentGeneration, "Ready");

        // The fake scheduler binds nothing: put the zone-a broker on node-a, then lose that node.
        var store = h.Server.Store;
        var pod = store.Get(ResourceDescriptor.Pods, KafkaClusterHarness.Namespace, Pod);
        pod["spec"]!["nodeName"] = "node-a";
        pod = store.Update(ResourceDescriptor.Pods, pod);
        var claim = store.Get(ResourceDescriptor.PersistentVolumeClaims, KafkaClusterHarness.Namespace, "data-" + Pod);
        h.Server.Workloads.SetPodReady(KafkaClusterHarness.Namespace, Pod, false);
        await KafkaClusterHarness.SetNodeReadyAsync(h.Client, "node-a", false, clock.GetUtcNow());

        await h.WaitForClusterAsync(c => KafkaClusterHarness.Condition(c, "Ready")?.GetString("reason") == ConditionReasons.BrokersNotReady, "broker not ready");
        clock.Advance(TimeSpan.FromMinutes(4));
        await Task.Delay(300);
        Assert.Equal(pod.Uid(), store.Get(ResourceDescriptor.Pods, KafkaClusterHarness.Namespace, Pod).Uid());
        Assert.Empty(h.Events(EventReasons.Healed));

        // Past the 5m timeout the requeued reconcile force-deletes the pod; the StatefulSet recreates it.
        clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        await KafkaClusterHarness.WaitUntilAsync(
            () => Task.FromResult(store.TryGet(ResourceDescriptor.Pods, KafkaClusterHarness.Namespace, Pod)?.Uid() is { } uid && uid != pod.Uid()),
            () => "pod replaced");
        h.Server.Workloads.SetPodReady(KafkaClusterHarness.Namespace, Pod, true);

        Assert.Equal(claim.Uid(), store.Get(ResourceDescriptor.PersistentVolumeClaims, KafkaClusterHarness.Namespace, "data-" + Pod).Uid());
        await h.WaitForClusterAsync(KafkaClusterHarness.IsReadyAtCurrentGeneration, "Ready again with the replacement pod");
        var healed = Assert.Single(h.Events(EventReasons.Healed));
        Assert.Equal("Warning", healed.GetString("type"));
        Assert.Contains("node node-a is NotReady for 5m1s", healed.GetString("message"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LostVolume_ClaimIsRecreatedEmpty()
    {
        await using var h = await KafkaClusterHarness.StartAsync();
        await h.CreateClusterAsync();
        await h.WaitForClusterAsync(KafkaClusterHarness.IsReadyAtCurrentGeneration, "Ready");
        var store = h.Server.Store;
        var claim = store.Get(ResourceDescriptor.PersistentVolumeClaims, KafkaClusterHarness.Namespace, "data-" + Pod);
        var pod = store.Get(ResourceDescriptor.Pods, KafkaClusterHarness.Namespace, Pod);

        claim["status"]!["phase"] = "Lost";
        store.UpdateStatus(ResourceDescriptor.PersistentVolumeClaims, claim);

        await KafkaClusterHarness.WaitUntilAsync(
            () => Task.FromResult(store.TryGet(ResourceDescriptor.PersistentVolumeClaims, KafkaClusterHarness.Namespace, "data-" + Pod)?.Uid() is { } uid && uid != claim.Uid()
                && store.TryGet(ResourceDescriptor.Pods, KafkaClusterHarness.Namespace, Pod)?.Uid() is { } podUid && podUid != pod.Uid()),
            () => "claim and pod replaced");
        await h.WaitForClusterAsync(KafkaClusterHarness.IsReadyAtCurrentGeneration, "Ready again");
        Assert.Contains(h.Events(EventReasons.Healed), e => e.GetString("message")!.Contains("volume of claim data-orders-eu-west-1a-0 is gone", StringComparison.Ordinal));
    }
}
