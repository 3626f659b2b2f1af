using System.Text;
using Tributary.Broker.Groups;
using Tributary.Protocol;
using Xunit;

namespace Tributary.Broker.Tests.Groups;

public sealed class GroupMembershipTests
{
    private static byte[] Bytes(string s) => Encoding.UTF8.GetBytes(s);

    [Fact]
    public void ThreeMembersJoinSyncLeaveAndRejoin()
    {
        var f = new GroupFixture();

        // KIP-394: a v4+ new member first gets its id back with MEMBER_ID_REQUIRED.
        var first = Assert.Single(f.Join(1, GroupFixture.JoinRequest(clientId: "c1", requireKnownMemberId: true)).Joins);
        Assert.Equal(1, first.Token);
        Assert.Equal(ErrorCode.MemberIdRequired, first.Result.Error);
        Assert.StartsWith("c1-", first.Result.MemberId, StringComparison.Ordinal);
        var m1 = first.Result.MemberId;

        Assert.Empty(f.Join(2, GroupFixture.JoinRequest(m1, "c1", requireKnownMemberId: true)).Joins);
        Assert.Equal(GroupState.PreparingRebalance, f.Coordinator.DescribeGroup(GroupFixture.Group).Response.State);

        var m2 = Assert.Single(f.Join(3, GroupFixture.JoinRequest(clientId: "c2", requireKnownMemberId: true)).Joins).Result.MemberId;
        Assert.Empty(f.Join(4, GroupFixture.JoinRequest(m2, "c2", requireKnownMemberId: true)).Joins);
        var m3 = Assert.Single(f.Join(5, GroupFixture.JoinRequest(clientId: "c3", requireKnownMemberId: true)).Joins).Result.MemberId;
        Assert.Empty(f.Join(6, GroupFixture.JoinRequest(m3, "c3", requireKnownMemberId: true)).Joins);
        Assert.Equal(3, new[] { m1, m2, m3 }.Distinct().Count());

        // The initial delay is extended once because members kept arriving, then the join completes.
        Assert.Equal(f.Clock.NowMs + GroupFixture.InitialDelayMs, f.Coordinator.NextDeadlineMs);
        Assert.Empty(f.Tick(GroupFixture.InitialDelayMs).Joins);
        var joins = f.Tick(GroupFixture.InitialDelayMs).Joins;
        Assert.Equal([2L, 4L, 6L], joins.Select(j => j.Token).Order());
        Assert.All(joins, j => Assert.Equal(ErrorCode.None, j.Result.Error));
        Assert.All(joins, j => Assert.Equal(1, j.Result.GenerationId));
        Assert.All(joins, j => Assert.Equal("range", j.Result.ProtocolName));
        Assert.All(joins, j => Assert.Equal(m1, j.Result.LeaderId));
        var leaderJoin = joins.Single(j => j.Result.MemberId == m1).Result;
        Assert.Equal([m1, m2, m3], leaderJoin.Members.Select(m => m.MemberId));
        Assert.All(leaderJoin.Members, m => Assert.Equal(GroupFixture.Subscription("t"), m.Metadata));
        Assert.All(joins.Where(j => j.Result.MemberId != m1), j => Assert.Empty(j.Result.Members));
        Assert.Equal(GroupState.CompletingRebalance, f.Coordinator.DescribeGroup(GroupFixture.Group).Response.State);

        // Followers wait for the leader's assignment.
        Assert.Empty(f.Sync(7, m2, 1).Syncs);
        Assert.Empty(f.Sync(8, m3, 1).Syncs);
        var syncs = f.Sync(9, m1, 1, new Dictionary<string, byte[]> { [m1] = Bytes("p0"), [m2] = Bytes("p1"), [m3] = Bytes("p2") });
        Assert.Equal(3, syncs.Syncs.Count);
        Assert.Equal(Bytes("p0"), syncs.Syncs.Single(s => s.Token == 9).Result.Assignment);
        Assert.Equal(Bytes("p1"), syncs.Syncs.Single(s => s.Token == 7).Result.Assignment);
        Assert.Equal(Bytes("p2"), syncs.Syncs.Single(s => s.Token == 8).Result.Assignment);
        Assert.Single(syncs.Records);

        var described = f.Coordinator.DescribeGroup(GroupFixture.Group).Response;
        Assert.Equal(GroupState.Stable, described.State);
        Assert.Equal("range", described.Protocol);
        Assert.Equal("consumer", described.ProtocolType);
        Assert.Equal(Bytes("p1"), described.Members.Single(m => m.MemberId == m2).Assignment);
        Assert.Equal(ErrorCode.None, f.Heartbeat(m1, 1));

        // m2 leaves: rebalance; heartbeats tell the others to rejoin.
        var leave = f.Coordinator.LeaveGroup(GroupFixture.Group, [new MemberIdentity(m2, null)]);
        Assert.Equal(ErrorCode.None, Assert.Single(leave.Response.Members).Error);
        Assert.Equal(GroupState.PreparingRebalance, f.Coordinator.DescribeGroup(GroupFixture.Group).Response.State);
        Assert.Equal(ErrorCode.RebalanceInProgress, f.Heartbeat(m1, 1));
        Assert.Equal(ErrorCode.UnknownMemberId, f.Heartbeat(m2, 1));

        Assert.Empty(f.Join(10, GroupFixture.JoinRequest(m3, "c3")).Joins);
        var rejoined = f.Join(11, GroupFixture.JoinRequest(m1, "c1")).Joins;
        Assert.Equal(2, rejoined.Count);
        Assert.All(rejoined, j => Assert.Equal(2, j.Result.GenerationId));
        Assert.Equal([m1, m3], rejoined.Single(j => j.Token == 11).Result.Members.Select(m => m.MemberId));
        Assert.Equal(ErrorCode.IllegalGeneration, f.Heartbeat(m1, 1));
        Assert.Equal(ErrorCode.None, f.Heartbeat(m1, 2));
    }

    [Fact]
    public void SessionTimeoutRemovesSilentMemberAndTriggersRebalance()
    {
        var f = new GroupFixture();
        var (members, generation) = f.StableGroup("a", "b", "c");

        f.Clock.Advance(6_000);
        Assert.Equal(ErrorCode.None, f.Heartbeat(members[0], generation));
        Assert.Equal(ErrorCode.None, f.Heartbeat(members[2], generation));
        Assert.Empty(f.Tick(3_000).Joins);
        Assert.Equal(GroupState.Stable, f.Coordinator.DescribeGroup(GroupFixture.Group).Response.State);

        f.Tick(1_001);
        var group = f.Coordinator.DescribeGroup(GroupFixture.Group).Response;
        Assert.Equal(GroupState.PreparingRebalance, group.State);
        Assert.Equal([members[0], members[2]], group.Members.Select(m => m.MemberId));
    }

    [Fact]
    public void RebalanceTimeoutRemovesMembersThatDidNotRejoin()
    {
        var f = new GroupFixture();
        var (members, generation) = f.StableGroup("a", "b");
        var leader = members[0];

        // The leader rejoining forces a rebalance; the follower keeps heartbeating but never rejoins.
        Assert.Empty(f.Join(100, GroupFixture.JoinRequest(leader, "a")).Joins);
        for (var t = 0; t < GroupFixture.RebalanceMs - 5_000; t += 5_000)
        {
            Assert.Empty(f.Tick(5_000).Joins);
            Assert.Equal(ErrorCode.RebalanceInProgress, f.Heartbeat(members[1], generation));
        }

        var joins = f.Tick(5_000).Joins;
        var join = Assert.Single(joins);
        Assert.Equal(100, join.Token);
        Assert.Equal(generation + 1, join.Result.GenerationId);
        Assert.Equal([leader], join.Result.Members.Select(m => m.MemberId));
        Assert.Equal(ErrorCode.UnknownMemberId, f.Heartbeat(members[1], generation));
    }

    [Fact]
    public void LeaderThatDoesNotRejoinIsReplacedByAJoinedMember()
    {
        var f = new GroupFixture();
        var (members, _) = f.StableGroup("a", "b");
        Assert.Empty(f.Join(100, GroupFixture.JoinRequest(members[1], "b", protocols: GroupFixture.Range("t", "u"))).Joins);
        var join = Assert.Single(f.Tick(GroupFixture.RebalanceMs).Joins);
        Assert.Equal(members[1], join.Result.LeaderId);
        Assert.Equal([members[1]], join.Result.Members.Select(m => m.MemberId));
    }

    [Fact]
    public void PendingSyncTimeoutRemovesMembersThatNeverSynced()
    {
        var f = new GroupFixture();
        f.Join(1, GroupFixture.JoinRequest(clientId: "a"));
        f.Join(2, GroupFixture.JoinRequest(clientId: "b"));
        var joins = f.Tick(GroupFixture.InitialDelayMs).Joins.Concat(f.Tick(GroupFixture.InitialDelayMs).Joins).ToList();
        Assert.Equal(2, joins.Count);
        var leader = joins[0].Result.LeaderId;
        var follower = joins.Single(j => j.Result.MemberId != leader).Result.MemberId;

        Assert.DoesNotContain(f.Sync(3, leader, 1, new Dictionary<string, byte[]>()).Syncs, s => s.Token != 3);
        Assert.Equal(GroupState.Stable, f.Coordinator.DescribeGroup(GroupFixture.Group).Response.State);

        // Both heartbeat (so no session expires) but the follower never sends SyncGroup.
        for (var t = 0; t < GroupFixture.RebalanceMs - 5_000; t += 5_000)
        {
            f.Tick(5_000);
            Assert.Equal(ErrorCode.None, f.Heartbeat(leader, 1));
            Assert.Equal(ErrorCode.None, f.Heartbeat(follower, 1));
        }

        Assert.Equal(GroupState.Stable, f.Coordinator.DescribeGroup(GroupFixture.Group).Response.State);
        f.Tick(5_000);
        var described = f.Coordinator.DescribeGroup(GroupFixture.Group).Response;
        Assert.DoesNotContain(described.Members, m => m.MemberId == follower);
        Assert.Equal(ErrorCode.UnknownMemberId, f.Heartbeat(follower, 1));
    }
}
