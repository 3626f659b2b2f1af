using Tributary.Broker.Groups;
using Tributary.Protocol;
using Xunit;

namespace Tributary.Broker.Tests.Groups;

public sealed class StaticMembershipTests
{
    private static (GroupFixture F, string S1, string S2) StableStaticGroup(IReadOnlyList<GroupProtocol>? protocols = null)
    {
        var f = new GroupFixture();

        // Static members join directly (no MEMBER_ID_REQUIRED round trip); ids start with the instance id.
        Assert.Empty(f.Join(1, GroupFixture.JoinRequest(clientId: "c", instanceId: "i1", protocols: protocols, requireKnownMemberId: true)).Joins);
        Assert.Empty(f.Join(2, GroupFixture.JoinRequest(clientId: "c", instanceId: "i2", protocols: protocols, requireKnownMemberId: true)).Joins);
        f.Tick(GroupFixture.InitialDelayMs);
        var joins = f.Tick(GroupFixture.InitialDelayMs).Joins;
        Assert.Equal(2, joins.Count);
        var s1 = joins.Single(j => j.Token == 1).Result.MemberId;
        var s2 = joins.Single(j => j.Token == 2).Result.MemberId;
        Assert.StartsWith("i1-", s1, StringComparison.Ordinal);
        Assert.Equal(s1, joins[0].Result.LeaderId);
        f.Sync(3, s1, 1, new Dictionary<string, byte[]> { [s1] = [1], [s2] = [2] }, "i1");
        Assert.Equal([2], Assert.Single(f.Sync(4, s2, 1, null, "i2").Syncs).Result.Assignment);
        return (f, s1, s2);
    }

    [Fact]
    public void RejoinWithSameInstanceIdReplacesMemberIdWithoutRebalance()
    {
        var (f, s1, s2) = StableStaticGroup();
        var recordsBefore = f.Log.Count;

        // The instance restarts: it joins with no member id and gets a new one at once.
        var rejoin = f.Join(10, GroupFixture.JoinRequest(clientId: "c", instanceId: "i2", requireKnownMemberId: true));
        var join = Assert.Single(rejoin.Joins).Result;
        Assert.Equal(ErrorCode.None, join.Error);
        Assert.NotEqual(s2, join.MemberId);
        Assert.StartsWith("i2-", join.MemberId, StringComparison.Ordinal);
        Assert.Equal(1, join.GenerationId);
        Assert.Equal(s1, join.LeaderId);
        Assert.Empty(join.Members);
        Assert.Single(rejoin.Records); // the new member id is persisted
        Assert.Equal(recordsBefore + 1, f.Log.Count);
        Assert.Equal(GroupState.Stable, f.Coordinator.DescribeGroup(GroupFixture.Group).Response.State);

        // The new id keeps the old assignment; the old id is fenced everywhere.
        Assert.Equal([2], Assert.Single(f.Sync(11, join.MemberId, 1, null, "i2").Syncs).Result.Assignment);
        Assert.Equal(ErrorCode.None, f.Heartbeat(join.MemberId, 1, "i2"));
        Assert.Equal(ErrorCode.FencedInstanceId, f.Heartbeat(s2, 1, "i2"));
        Assert.Equal(ErrorCode.FencedInstanceId, Assert.Single(f.Sync(12, s2, 1, null, "i2").Syncs).Result.Error);
        Assert.Equal(ErrorCode.FencedInstanceId, Assert.Single(f.Join(13, GroupFixture.JoinRequest(s2, "c", instanceId: "i2")).Joins).Result.Error);
        var commit = f.Coordinator.CommitOffsets(new OffsetCommitRequest(GroupFixture.Group, 1, s2, "i2", [new OffsetCommitEntry("t", 0, 5, -1, null)]));
        Assert.Equal(ErrorCode.FencedInstanceId, Assert.Single(commit.Response).Error);
        var leave = f.Coordinator.LeaveGroup(GroupFixture.Group, [new MemberIdentity(s2, "i2")]);
        Assert.Equal(ErrorCode.FencedInstanceId, Assert.Single(leave.Response.Members).Error);
    }

    [Fact]
    public void LeaderRejoiningAsStaticMemberDoesNotBecomeLeaderOfNewId()
    {
        var (f, s1, _) = StableStaticGroup();
        var join = Assert.Single(f.Join(10, GroupFixture.JoinRequest(clientId: "c", instanceId: "i1")).Joins).Result;
        Assert.Equal(ErrorCode.None, join.Error);

        // The old leader id is returned so the restarted leader does not run an assignment nobody would receive.
        Assert.Equal(s1, join.LeaderId);
        Assert.NotEqual(s1, join.MemberId);
        Assert.Equal(GroupState.Stable, f.Coordinator.DescribeGroup(GroupFixture.Group).Response.State);
    }

    [Fact]
    public void RejoinWithChangedProtocolSelectionTriggersRebalance()
    {
        IReadOnlyList<GroupProtocol> both = [new("range", GroupFixture.Subscription("t")), new("roundrobin", GroupFixture.Subscription("t"))];
        var (f, _, _) = StableStaticGroup(both);
        Assert.Equal("range", f.Coordinator.DescribeGroup(GroupFixture.Group).Response.Protocol);

        var rejoin = f.Join(10, GroupFixture.JoinRequest(clientId: "c", instanceId: "i2",
            protocols: [new GroupProtocol("roundrobin", GroupFixture.Subscription("t"))]));
        Assert.Empty(rejoin.Joins);
        Assert.Equal(GroupState.PreparingRebalance, f.Coordinator.DescribeGroup(GroupFixture.Group).Response.State);
    }

    [Fact]
    public void StaticMemberCanBeRemovedByInstanceIdOnly()
    {
        var (f, s1, s2) = StableStaticGroup();
        var leave = f.Coordinator.LeaveGroup(GroupFixture.Group, [new MemberIdentity("", "i2"), new MemberIdentity("", "unknown")]);
        Assert.Equal([ErrorCode.None, ErrorCode.UnknownMemberId], leave.Response.Members.Select(m => m.Error));
        var described = f.Coordinator.DescribeGroup(GroupFixture.Group).Response;
        Assert.Equal(GroupState.PreparingRebalance, described.State);
        Assert.Equal([s1], described.Members.Select(m => m.MemberId));
        Assert.Equal(ErrorCode.UnknownMemberId, f.Heartbeat(s2, 1));
    }

    [Fact]
    public void StaticMemberThatMissesRejoinIsKeptUntilSessionExpires()
    {
        var (f, s1, s2) = StableStaticGroup();
        Assert.Empty(f.Join(10, GroupFixture.JoinRequest(s1, "c", instanceId: "i1")).Joins);

        // s2 heartbeats but does not rejoin: unlike dynamic members it survives the join deadline.
        for (var t = 0; t < GroupFixture.RebalanceMs; t += 5_000)
        {
            f.Heartbeat(s2, 1, "i2");
            f.Tick(5_000);
        }

        var described = f.Coordinator.DescribeGroup(GroupFixture.Group).Response;
        Assert.Equal(GroupState.CompletingRebalance, described.State);
        Assert.Equal([s1, s2], described.Members.Select(m => m.MemberId));
    }
}
