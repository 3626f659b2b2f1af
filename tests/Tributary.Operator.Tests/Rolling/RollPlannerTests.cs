using Tributary.Operator.Rolling;
using Xunit;

namespace Tributary.Operator.Tests.Rolling;

public sealed class RollPlannerTests
{
    private static RollNode Node(int id, string? reason = null, bool ready = true, bool exists = true) =>
        new(id, "pod-" + id, exists, ready, reason);

    [Fact]
    public void NothingPending_DoesNothing()
    {
        var action = RollPlanner.Plan(new RollObservation([Node(0), Node(1000), Node(2000)], 1000, true));
        Assert.Equal(RollActionKind.None, action.Kind);
    }

    [Fact]
    public void NonControllersGoFirst_InIdOrder_ActiveControllerLast()
    {
        var nodes = new[] { Node(0, RollReasons.ConfigChanged), Node(1000, RollReasons.ConfigChanged), Node(2000, RollReasons.ConfigChanged) };
        var first = RollPlanner.Plan(new RollObservation(nodes, 0, true));
        Assert.Equal(RollActionKind.Restart, first.Kind);
        Assert.Equal(1000, first.Node!.Id);
        Assert.True(first.RequiresProbe);
        Assert.Equal(3, first.Pending);

        // After 1000 and 2000 are done, the controller is the only one left.
        var last = RollPlanner.Plan(new RollObservation([Node(0, RollReasons.ConfigChanged), Node(1000), Node(2000)], 0, true));
        Assert.Equal(0, last.Node!.Id);
    }

    [Fact]
    public void UnknownController_FallsBackToIdOrder()
    {
        var action = RollPlanner.Plan(new RollObservation([Node(2000, RollReasons.PodTemplateChanged), Node(1000, RollReasons.PodTemplateChanged)], null, true));
        Assert.Equal(1000, action.Node!.Id);
        Assert.Contains(RollReasons.PodTemplateChanged, action.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OneAtATime_WaitsWhileAnyPodIsMissingOrNotReady()
    {
        var missing = RollPlanner.Plan(new RollObservation([Node(0, RollReasons.ConfigChanged), Node(1000, exists: false, ready: false), Node(2000, RollReasons.ConfigChanged)], null, true));
        Assert.Equal(RollActionKind.Wait, missing.Kind);
        Assert.Contains("pod-1000", missing.Message, StringComparison.Ordinal);

        var unready = RollPlanner.Plan(new RollObservation([Node(0, RollReasons.ConfigChanged), Node(1000, ready: false), Node(2000, RollReasons.ConfigChanged)], null, true));
        Assert.Equal(RollActionKind.Wait, unready.Kind);
        Assert.Equal(2, unready.Pending);
    }

    [Fact]
    public void PendingPodThatIsNotReady_IsRestartedFirst_WithoutTheProbe()
    {
        var action = RollPlanner.Plan(new RollObservation([Node(0, RollReasons.ConfigChanged), Node(2000, RollReasons.ConfigChanged, ready: false)], 2000, true));
        Assert.Equal(RollActionKind.Restart, action.Kind);
        Assert.Equal(2000, action.Node!.Id);
        Assert.False(action.RequiresProbe);
    }

    [Fact]
    public void UnsettledStatefulSets_Wait()
    {
        var action = RollPlanner.Plan(new RollObservation([Node(0, RollReasons.PodTemplateChanged)], null, RevisionsSettled: false));
        Assert.Equal(RollActionKind.Wait, action.Kind);
    }
}
