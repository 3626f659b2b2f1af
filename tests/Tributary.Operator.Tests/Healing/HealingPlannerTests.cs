using Tributary.Operator.Healing;
using Xunit;

namespace Tributary.Operator.Tests.Healing;

public sealed class HealingPlannerTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    private static HealingObservation Observe(
        IEnumerable<HealingNode> nodes,
        IEnumerable<HealingVolume>? volumes = null,
        bool enabled = true,
        IReadOnlyDictionary<string, DateTimeOffset>? missingSince = null,
        bool terminating = false) =>
        new(Now, enabled, Timeout,
            [new HealingPod("orders-a-0", "node-a", "data-orders-a-0", terminating), new HealingPod("orders-b-0", "node-b", "data-orders-b-0", false)],
            nodes.ToDictionary(n => n.Name),
            (volumes ?? []).ToDictionary(v => v.Pvc),
            missingSince ?? new Dictionary<string, DateTimeOffset>());

    private static HealingNode Ready(string name) => new(name, true, null);

    [Fact]
    public void HealthyNodes_NothingToDo()
    {
        var plan = HealingPlanner.Plan(Observe([Ready("node-a"), Ready("node-b")]));
        Assert.Empty(plan.Actions);
        Assert.Null(plan.RecheckAfter);
    }

    [Fact]
    public void NotReadyNode_BeforeTimeout_RechecksWhenItExpires()
    {
        var plan = HealingPlanner.Plan(Observe([new HealingNode("node-a", false, Now - TimeSpan.FromMinutes(3)), Ready("node-b")]));
        Assert.Empty(plan.Actions);
        Assert.Equal(TimeSpan.FromMinutes(2), plan.RecheckAfter);
    }

    [Fact]
    public void NotReadyNode_PastTimeout_ForceDeletesOnlyItsPod_KeepsTheClaim()
    {
        var plan = HealingPlanner.Plan(Observe([new HealingNode("node-a", false, Now - TimeSpan.FromMinutes(6)), Ready("node-b")]));
        var action = Assert.Single(plan.Actions);
        Assert.Equal(HealingActionKind.ForceDeletePod, action.Kind);
        Assert.Equal("orders-a-0", action.Name);
        Assert.Contains("node node-a is NotReady for 6m0s", action.Reason, StringComparison.Ordinal);
        Assert.Contains("kept", action.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void StuckTerminatingPod_OnNotReadyNode_IsForceDeleted()
    {
        var plan = HealingPlanner.Plan(Observe([new HealingNode("node-a", false, Now - Timeout), Ready("node-b")], terminating: true));
        Assert.Contains("stuck pod orders-a-0", Assert.Single(plan.Actions).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Disabled_DoesNothing()
    {
        var plan = HealingPlanner.Plan(Observe([new HealingNode("node-a", false, Now - TimeSpan.FromHours(1)), Ready("node-b")], enabled: false));
        Assert.Empty(plan.Actions);
    }

    [Fact]
    public void GoneNode_CountsFromWhenItWasFirstMissed()
    {
        var early = HealingPlanner.Plan(Observe([Ready("node-b")], missingSince: new Dictionary<string, DateTimeOffset> { ["node-a"] = Now - TimeSpan.FromMinutes(1) }));
        Assert.Empty(early.Actions);
        Assert.Equal(TimeSpan.FromMinutes(4), early.RecheckAfter);

        var late = HealingPlanner.Plan(Observe([Ready("node-b")], missingSince: new Dictionary<string, DateTimeOffset> { ["node-a"] = Now - TimeSpan.FromMinutes(5) }));
        Assert.Contains("node node-a is gone", Assert.Single(late.Actions).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void LostVolume_DeletesClaimThenPod()
    {
        var plan = HealingPlanner.Plan(Observe([Ready("node-a"), Ready("node-b")], [new HealingVolume("data-orders-b-0", Lost: true, Terminating: false)]));
        Assert.Equal(
            [(HealingActionKind.DeleteClaim, "data-orders-b-0"), (HealingActionKind.ForceDeletePod, "orders-b-0")],
            plan.Actions.Select(a => (a.Kind, a.Name)));

        // A claim already being deleted is not deleted again; the pod still goes.
        var again = HealingPlanner.Plan(Observe([Ready("node-a"), Ready("node-b")], [new HealingVolume("data-orders-b-0", Lost: true, Terminating: true)]));
        Assert.Equal(HealingActionKind.ForceDeletePod, Assert.Single(again.Actions).Kind);
    }
}
