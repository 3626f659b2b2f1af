using Tributary.Operator.Controllers.Topics;
using Tributary.Operator.Hosting;
using Xunit;

namespace Tributary.Operator.Tests.Topics;

public sealed class RequeueCoalescerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void LaterRequeue_WhileOneIsPending_IsDropped()
    {
        var c = new RequeueCoalescer();
        Assert.Equal(TimeSpan.FromSeconds(60), c.Coalesce("ns/a", ReconcileResult.After(TimeSpan.FromSeconds(60)), T0).RequeueAfter);
        // An event-driven reconcile 10 s later: the pending resync at 60 s already covers it.
        Assert.Null(c.Coalesce("ns/a", ReconcileResult.After(TimeSpan.FromSeconds(60)), T0.AddSeconds(10)).RequeueAfter);
        // The pending one fires at 60 s and schedules the next.
        Assert.Equal(TimeSpan.FromSeconds(60), c.Coalesce("ns/a", ReconcileResult.After(TimeSpan.FromSeconds(60)), T0.AddSeconds(60)).RequeueAfter);
    }

    [Fact]
    public void SoonerRequeue_IsKept()
    {
        var c = new RequeueCoalescer();
        c.Coalesce("ns/a", ReconcileResult.After(TimeSpan.FromSeconds(60)), T0);
        Assert.Equal(TimeSpan.FromSeconds(15), c.Coalesce("ns/a", ReconcileResult.After(TimeSpan.FromSeconds(15)), T0.AddSeconds(1)).RequeueAfter);
    }

    [Fact]
    public void KeysAreIndependent_DoneIsPassedThrough_AndForgetClears()
    {
        var c = new RequeueCoalescer();
        c.Coalesce("ns/a", ReconcileResult.After(TimeSpan.FromSeconds(60)), T0);
        Assert.Equal(TimeSpan.FromSeconds(60), c.Coalesce("ns/b", ReconcileResult.After(TimeSpan.FromSeconds(60)), T0).RequeueAfter);
        Assert.Null(c.Coalesce("ns/a", ReconcileResult.Done, T0).RequeueAfter);
        Assert.Equal(2, c.Count);
        c.Forget("ns/a");
        Assert.Equal(1, c.Count);
        Assert.Equal(TimeSpan.FromSeconds(60), c.Coalesce("ns/a", ReconcileResult.After(TimeSpan.FromSeconds(60)), T0.AddSeconds(1)).RequeueAfter);
    }
}
