using Tributary.Client.Admin;
using Tributary.Client.Cluster;
using Tributary.Operator.Rolling;
using Tributary.Protocol;
using Xunit;

namespace Tributary.Operator.Tests.Rolling;

public class RollSafetyTests
{
    private const long Now = 1_700_000_000_000;

    private static PartitionMetadata Partition(int index, int[] replicas, int[] isr) =>
        new(index, isr.Length > 0 ? isr[0] : -1, 3, replicas, isr, [], ErrorCode.None);

    private static TopicMetadata Topic(string name, params PartitionMetadata[] partitions) =>
        new(name, Guid.NewGuid(), false, ErrorCode.None, partitions);

    private static Dictionary<string, int> MinIsr(params (string Topic, int Value)[] values) =>
        values.ToDictionary(v => v.Topic, v => v.Value, StringComparer.Ordinal);

    private static QuorumReplica Voter(int id, long logEnd, long caughtUpAgoMs) =>
        new(id, logEnd, caughtUpAgoMs < 0 ? -1 : Now - caughtUpAgoMs, caughtUpAgoMs < 0 ? -1 : Now - caughtUpAgoMs);

    private static QuorumInfo Quorum(int leader, params QuorumReplica[] voters) => new(leader, 4, voters.Max(v => v.LogEndOffset), voters, []);

    private static RollDecision Evaluate(IEnumerable<TopicMetadata> topics, Dictionary<string, int> minIsr, int node, QuorumInfo? quorum = null) =>
        RollSafety.Evaluate(topics, minIsr, quorum ?? Quorum(9, Voter(9, 100, 0)), node, Now);

    [Fact]
    public void AllowsWhenTheIsrStaysAtMinIsrWithoutTheNode()
    {
        var decision = Evaluate([Topic("orders", Partition(0, [1, 2, 3], [1, 2, 3]))], MinIsr(("orders", 2)), node: 1);

        Assert.True(decision.Allowed, decision.Reason);
        Assert.Contains("no partition would fall below min.insync.replicas", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void RefusesWhenAnInSyncReplicaAtMinIsrWouldLeave()
    {
        var decision = Evaluate(
            [Topic("orders", Partition(0, [1, 2, 3], [1, 2, 3]), Partition(1, [2, 3, 1], [2, 1]))],
            MinIsr(("orders", 2)), node: 1);

        Assert.False(decision.Allowed);
        Assert.Contains("orders-1 (replicas [2,3,1], ISR [2,1], min.insync.replicas 2)", decision.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("orders-0", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void MinIsrComesFromEachTopicsConfig()
    {
        PartitionMetadata[] shrunk = [Partition(0, [1, 2, 3], [1, 2])];
        var topics = new[] { Topic("strict", shrunk), Topic("relaxed", shrunk) };

        Assert.False(Evaluate(topics, MinIsr(("strict", 2), ("relaxed", 1)), node: 1).Allowed);
        Assert.True(Evaluate(topics, MinIsr(("strict", 1), ("relaxed", 1)), node: 1).Allowed);
        var decision = Evaluate(topics, MinIsr(("strict", 2), ("relaxed", 1)), node: 1);
        Assert.Contains("strict-0", decision.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("relaxed-0", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void APartitionAlreadyBelowMinIsrBlocksOnlyTheReplicasStillInItsIsr()
    {
        var topics = new[] { Topic("orders", Partition(0, [1, 2, 3], [2])) };

        Assert.True(Evaluate(topics, MinIsr(("orders", 2)), node: 1).Allowed);
        Assert.True(Evaluate(topics, MinIsr(("orders", 2)), node: 3).Allowed);
        Assert.False(Evaluate(topics, MinIsr(("orders", 2)), node: 2).Allowed);
    }

    [Fact]
    public void PartitionsOnOtherNodesDoNotMatter()
    {
        var decision = Evaluate([Topic("orders", Partition(0, [2, 3], [2]))], MinIsr(("orders", 2)), node: 1);

        Assert.True(decision.Allowed, decision.Reason);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(2, 3)]
    public void ReplicationFactorAtMostMinIsrIsAnUnavoidableOutageNotABlock(int replicationFactor, int minIsr)
    {
        var replicas = Enumerable.Range(1, replicationFactor).ToArray();
        var decision = Evaluate([Topic("single", Partition(0, replicas, replicas))], MinIsr(("single", minIsr)), node: 1);

        Assert.True(decision.Allowed, decision.Reason);
        Assert.Contains("unavoidable", decision.Reason, StringComparison.Ordinal);
        Assert.Contains("single-0", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownMinIsrRefusesButDeletedTopicsAreSkipped()
    {
        var hosted = Topic("mystery", Partition(0, [1, 2, 3], [1, 2, 3]));
        var deleted = new TopicMetadata("gone", Guid.Empty, false, ErrorCode.UnknownTopicOrPartition, []);
        var failed = new TopicMetadata("broken", Guid.Empty, false, ErrorCode.TopicAuthorizationFailed, []);

        var unknown = Evaluate([hosted], MinIsr(), node: 1);
        Assert.False(unknown.Allowed);
        Assert.Contains("min.insync.replicas of topic mystery is unknown", unknown.Reason, StringComparison.Ordinal);
        Assert.True(Evaluate([deleted], MinIsr(), node: 1).Allowed);
        var broken = Evaluate([failed], MinIsr(), node: 1);
        Assert.False(broken.Allowed);
        Assert.Contains("broken", broken.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void NamesAFewPartitionsAndCountsTheRest()
    {
        var partitions = Enumerable.Range(0, 8).Select(i => Partition(i, [1, 2], [1])).ToArray();

        var decision = Evaluate([Topic("wide", partitions)], MinIsr(("wide", 1)), node: 1);

        Assert.False(decision.Allowed);
        Assert.Contains("8 partition(s)", decision.Reason, StringComparison.Ordinal);
        Assert.Contains("wide-4", decision.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("wide-5", decision.Reason, StringComparison.Ordinal);
        Assert.Contains("and 3 more", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void UsersTopicsAreNamedBeforeInternalOnes()
    {
        var offsets = new TopicMetadata("__consumer_offsets", Guid.NewGuid(), true, ErrorCode.None,
            [.. Enumerable.Range(0, 6).Select(i => Partition(i, [1, 2], [1]))]);

        var decision = Evaluate([offsets, Topic("zebra", Partition(0, [1, 2], [1]))], MinIsr(("__consumer_offsets", 1), ("zebra", 1)), node: 1);

        Assert.False(decision.Allowed);
        Assert.Contains("zebra-0 (replicas [1,2], ISR [1], min.insync.replicas 1), __consumer_offsets-0", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void QuorumKeepsAMajorityWithoutOneOfThreeCaughtUpVoters()
    {
        var quorum = Quorum(1, Voter(1, 100, 0), Voter(2, 100, 100), Voter(3, 99, 300));

        var decision = Evaluate([], MinIsr(), node: 2, quorum);

        Assert.True(decision.Allowed, decision.Reason);
        Assert.Contains("keeps 2 of 3 voters caught up", decision.Reason, StringComparison.Ordinal);
        Assert.True(Evaluate([], MinIsr(), node: 1, quorum).Allowed);
    }

    [Theory]
    [InlineData(-1, 5_000)] // never caught up (no contact)
    [InlineData(5_000, 5_000)] // caught up too long ago
    [InlineData(0, 100)] // far behind the high watermark
    public void RefusesWhenTheOtherVotersAreNotCaughtUp(long thirdCaughtUpAgoMs, long thirdLogEnd)
    {
        var quorum = Quorum(1, Voter(1, 5_000, 0), Voter(2, 5_000, 0), Voter(3, thirdLogEnd, thirdCaughtUpAgoMs));

        var decision = Evaluate([], MinIsr(), node: 2, quorum);

        Assert.False(decision.Allowed);
        Assert.Contains("only 1 of 3 voters are caught up, 2 needed (not caught up: 3)", decision.Reason, StringComparison.Ordinal);
        Assert.True(Evaluate([], MinIsr(), node: 3, quorum).Allowed);
    }

    [Fact]
    public void CatchUpIsMeasuredOnTheLeadersClock()
    {
        // The leader reports "now" as 10 s before the operator's clock; follower 2 caught up 1 s before that.
        var leader = new QuorumReplica(1, 100, Now - 10_000, Now - 10_000);
        var follower = new QuorumReplica(2, 100, Now - 11_000, Now - 11_000);
        var quorum = new QuorumInfo(1, 4, 100, [leader, follower, new QuorumReplica(3, 100, Now - 10_500, Now - 10_500)], []);

        Assert.True(RollSafety.IsCaughtUp(quorum, follower, Now));
        Assert.True(RollSafety.Evaluate([], MinIsr(), quorum, 3, Now).Allowed);
    }

    [Fact]
    public void FourVotersNeedThreeAfterTheRestart()
    {
        var quorum = Quorum(1, Voter(1, 100, 0), Voter(2, 100, 0), Voter(3, 100, 0), Voter(4, -1, -1));

        Assert.False(Evaluate([], MinIsr(), node: 2, quorum).Allowed);
        Assert.True(Evaluate([], MinIsr(), node: 4, quorum).Allowed);
    }

    [Fact]
    public void ASingleVoterQuorumIsAllowedAndSaysItIsUnavoidable()
    {
        var decision = Evaluate([], MinIsr(), node: 1, Quorum(1, Voter(1, 100, 0)));

        Assert.True(decision.Allowed);
        Assert.Contains("only metadata quorum voter", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void NonVotersAreNotHeldByTheQuorum()
    {
        var quorum = Quorum(1, Voter(1, 100, 0), Voter(2, -1, -1), Voter(3, -1, -1));

        Assert.True(Evaluate([], MinIsr(), node: 4, quorum).Allowed);
    }

    [Fact]
    public void WithoutQuorumInformationOnlyPartitionsAreChecked()
    {
        var decision = RollSafety.Evaluate([], MinIsr(), null, 1, Now);

        Assert.True(decision.Allowed);
        Assert.Contains("not checked", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void PartitionAndQuorumRefusalsAreBothReported()
    {
        var quorum = Quorum(1, Voter(1, 100, 0), Voter(2, 100, 0), Voter(3, -1, -1));

        var decision = Evaluate([Topic("orders", Partition(0, [1, 2, 3], [2, 3]))], MinIsr(("orders", 2)), node: 2, quorum);

        Assert.False(decision.Allowed);
        Assert.Contains("orders-0", decision.Reason, StringComparison.Ordinal);
        Assert.Contains("metadata quorum would lose its majority", decision.Reason, StringComparison.Ordinal);
    }
}
