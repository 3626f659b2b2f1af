using Tributary.Operator.Api;
using Tributary.Operator.Controllers.Topics;
using Xunit;

namespace Tributary.Operator.Tests.Topics;

public sealed class TopicConditionsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(TopicHealth.Ready, ConditionStatus.True, ConditionStatus.False, ConditionStatus.False)]
    [InlineData(TopicHealth.Reconciling, ConditionStatus.False, ConditionStatus.True, ConditionStatus.False)]
    [InlineData(TopicHealth.Stalled, ConditionStatus.False, ConditionStatus.False, ConditionStatus.True)]
    public void EachHealth_SetsExactlyTheKstatusTriple(TopicHealth health, ConditionStatus ready, ConditionStatus reconciling, ConditionStatus stalled)
    {
        var conditions = TopicConditions.Build(health, "Why", "what", 4, null, T0);
        Assert.Equal(ready, conditions.Single(c => c.Type == ConditionTypes.Ready).Status);
        Assert.Equal(reconciling, conditions.Single(c => c.Type == ConditionTypes.Reconciling).Status);
        Assert.Equal(stalled, conditions.Single(c => c.Type == ConditionTypes.Stalled).Status);
        Assert.All(conditions, c => Assert.Equal(4, c.ObservedGeneration));
        Assert.Equal("Why", conditions.Single(c => c.Type == ConditionTypes.Ready).Reason);
    }

    [Fact]
    public void TransitionTime_MovesOnlyWhenStatusFlips()
    {
        var first = TopicConditions.Build(TopicHealth.Ready, "A", "a", 1, null, T0);
        var same = TopicConditions.Build(TopicHealth.Ready, "A", "a", 2, first, T0.AddMinutes(5));
        Assert.All(same, c => Assert.Equal("2026-01-01T00:00:00Z", c.LastTransitionTime));

        var flipped = TopicConditions.Build(TopicHealth.Stalled, "B", "b", 3, same, T0.AddMinutes(9));
        Assert.Equal("2026-01-01T00:09:00Z", flipped.Single(c => c.Type == ConditionTypes.Ready).LastTransitionTime);
        Assert.Equal("2026-01-01T00:09:00Z", flipped.Single(c => c.Type == ConditionTypes.Stalled).LastTransitionTime);
        // Reconciling stayed False, so its transition time stays.
        Assert.Equal("2026-01-01T00:00:00Z", flipped.Single(c => c.Type == ConditionTypes.Reconciling).LastTransitionTime);
    }
}
