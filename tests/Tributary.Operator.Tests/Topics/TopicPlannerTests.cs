using Tributary.Operator.Controllers.Topics;
using Xunit;

namespace Tributary.Operator.Tests.Topics;

public sealed class TopicPlannerTests
{
    private static TopicDescription Actual(int partitions = 3, int rf = 3, Dictionary<string, string>? configs = null) =>
        new("orders", "id", partitions, rf, configs ?? []);

    [Fact]
    public void MissingTopic_IsCreated()
    {
        var plan = TopicPlanner.Plan(3, 3, new Dictionary<string, string> { ["retention.ms"] = "1" }, null);
        Assert.True(plan.Create);
        Assert.Null(plan.GrowPartitionsTo);
        Assert.False(plan.HasConfigChanges);
        Assert.Empty(plan.Problems);
    }

    [Fact]
    public void MatchingTopic_NeedsNothing()
    {
        var plan = TopicPlanner.Plan(3, 3, new Dictionary<string, string> { ["retention.ms"] = "1" }, Actual(configs: new() { ["retention.ms"] = "1" }));
        Assert.False(plan.HasChanges);
        Assert.Empty(plan.Problems);
    }

    [Fact]
    public void MorePartitions_Grow()
    {
        var plan = TopicPlanner.Plan(10, 3, null, Actual(partitions: 4));
        Assert.Equal(10, plan.GrowPartitionsTo);
        Assert.Empty(plan.Problems);
    }

    [Fact]
    public void FewerPartitions_AreRefused_ButConfigDriftIsStillRepaired()
    {
        var plan = TopicPlanner.Plan(2, 3, new Dictionary<string, string> { ["retention.ms"] = "5" }, Actual(partitions: 4, configs: new() { ["retention.ms"] = "6" }));
        Assert.Null(plan.GrowPartitionsTo);
        var problem = Assert.Single(plan.Problems);
        Assert.Equal(TopicReasons.PartitionDecreaseNotSupported, problem.Reason);
        Assert.Contains("less than the topic's 4 partitions", problem.Message, StringComparison.Ordinal);
        Assert.Equal("5", plan.ConfigSet["retention.ms"]);
    }

    [Fact]
    public void ReplicationFactorChange_IsRefused_PartitionGrowthStillHappens()
    {
        var plan = TopicPlanner.Plan(6, 2, null, Actual(partitions: 3, rf: 3));
        Assert.Equal(6, plan.GrowPartitionsTo);
        var problem = Assert.Single(plan.Problems);
        Assert.Equal(TopicReasons.ReplicationFactorChangeNotSupported, problem.Reason);
        Assert.Contains("2", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConfigDrift_SetsChangedAndMissing_DeletesUnknown()
    {
        var desired = new Dictionary<string, string> { ["retention.ms"] = "100", ["cleanup.policy"] = "compact", ["segment.bytes"] = "1024" };
        var actual = Actual(configs: new() { ["retention.ms"] = "200", ["segment.bytes"] = "1024", ["max.message.bytes"] = "9", ["compression.type"] = "zstd" });

        var plan = TopicPlanner.Plan(3, 3, desired, actual);

        Assert.Equal(new Dictionary<string, string> { ["cleanup.policy"] = "compact", ["retention.ms"] = "100" }, plan.ConfigSet);
        Assert.Equal(["compression.type", "max.message.bytes"], plan.ConfigDelete);
        Assert.False(plan.Create);
    }

    [Fact]
    public void NullSpecConfig_RevertsEveryOverride()
    {
        var plan = TopicPlanner.Plan(3, 3, null, Actual(configs: new() { ["retention.ms"] = "200" }));
        Assert.Empty(plan.ConfigSet);
        Assert.Equal(["retention.ms"], plan.ConfigDelete);
    }

    [Fact]
    public void ConfigValues_CompareExactly()
    {
        var plan = TopicPlanner.Plan(3, 3, new Dictionary<string, string> { ["cleanup.policy"] = "Compact" }, Actual(configs: new() { ["cleanup.policy"] = "compact" }));
        Assert.Equal("Compact", plan.ConfigSet["cleanup.policy"]);
    }
}
