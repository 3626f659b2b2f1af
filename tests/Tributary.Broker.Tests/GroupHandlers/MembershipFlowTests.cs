using Tributary.Protocol;
using Tributary.Protocol.Messages;
using Xunit;
using static Tributary.Broker.Tests.GroupHandlers.GroupClient;

namespace Tributary.Broker.Tests.GroupHandlers;

public sealed class MembershipFlowTests
{
    private const string Group = "flow-group";

    /// <summary>Three members join (answered together once the initial delay ends), sync, heartbeat.</summary>
    private static async Task<(string Leader, string[] Members, int Generation)> FormGroupAsync(GroupBroker broker)
    {
        var a = await StartJoinAsync(broker, Group);
        var b = await StartJoinAsync(broker, Group);
        var c = await StartJoinAsync(broker, Group);

        // The join phase waits group.initial.rebalance.delay.ms: nobody is answered yet.
        await Task.Delay(50);
        Assert.False(a.Pending.IsCompleted || b.Pending.IsCompleted || c.Pending.IsCompleted);

        await broker.DriveAsync(1_000, a.Pending, b.Pending, c.Pending);
        var joins = new[] { await a.Pending, await b.Pending, await c.Pending };
        Assert.All(joins, j => Assert.Equal((short)ErrorCode.None, j.ErrorCode));
        Assert.All(joins, j => Assert.Equal(1, j.GenerationId));
        Assert.All(joins, j => Assert.Equal("range", j.ProtocolName));
        var leader = joins[0].Leader;
        Assert.All(joins, j => Assert.Equal(leader, j.Leader));
        var leaderJoin = joins.Single(j => j.MemberId == leader);
        Assert.Equal(3, leaderJoin.Members.Count);
        Assert.All(joins.Where(j => j.MemberId != leader), j => Assert.Empty(j.Members));

        var members = new[] { a.MemberId, b.MemberId, c.MemberId };
        Assert.Equal(members.Order(), leaderJoin.Members.Select(m => m.MemberId).Order());

        // Followers' SyncGroup waits for the leader's assignment.
        var followers = members.Where(m => m != leader).ToArray();
        var followerSyncs = followers.Select(f => Sync(broker, Group, 1, f)).ToArray();
        await Task.Delay(50);
        Assert.All(followerSyncs, s => Assert.False(s.IsCompleted));
        var appendsBefore = broker.Log.AppendCount;
        var leaderSync = await Sync(broker, Group, 1, leader, members.Select(m => (m, new[] { (byte)m.Length, (byte)m[^1] })).ToArray());
        Assert.Equal((short)ErrorCode.None, leaderSync.ErrorCode);
        Assert.Equal(new[] { (byte)leader.Length, (byte)leader[^1] }, leaderSync.Assignment);
        Assert.Equal(appendsBefore + 1, broker.Log.AppendCount);

        var synced = await Task.WhenAll(followerSyncs).WaitAsync(TimeSpan.FromSeconds(10));
        for (var i = 0; i < followers.Length; i++)
        {
            Assert.Equal((short)ErrorCode.None, synced[i].ErrorCode);
            Assert.Equal(new[] { (byte)followers[i].Length, (byte)followers[i][^1] }, synced[i].Assignment);
            Assert.Equal("consumer", synced[i].ProtocolType);
        }

        foreach (var m in members)
        {
            Assert.Equal(ErrorCode.None, await Heartbeat(broker, Group, 1, m));
        }

        return (leader, members, 1);
    }

    [Fact]
    public async Task ThreeMembersJoinSyncHeartbeatAndLeave()
    {
        await using var broker = await GroupBroker.StartAsync();
        var (leader, members, _) = await FormGroupAsync(broker);

        var describe = await broker.SendAsync<DescribeGroupsResponse>(new DescribeGroupsRequest { Groups = [Group] }, 5);
        var described = Assert.Single(describe.Groups);
        Assert.Equal("Stable", described.GroupState);
        Assert.Equal("range", described.ProtocolData);
        Assert.Equal(3, described.Members.Count);
        Assert.All(described.Members, m => Assert.Equal("/127.0.0.1", m.ClientHost));
        Assert.All(described.Members, m => Assert.Equal("test-client", m.ClientId));

        // One member leaves (v3+ batch form): the others are told to rejoin.
        var leaving = members.First(m => m != leader);
        var leave = await broker.SendAsync<LeaveGroupResponse>(new LeaveGroupRequest
        {
            GroupId = Group,
            Members = [new LeaveGroupRequest.MemberIdentity { MemberId = leaving }],
        }, 5);
        Assert.Equal((short)ErrorCode.None, leave.ErrorCode);
        Assert.Equal((short)ErrorCode.None, Assert.Single(leave.Members).ErrorCode);

        var staying = members.Where(m => m != leaving).ToArray();
        foreach (var m in staying)
        {
            Assert.Equal(ErrorCode.RebalanceInProgress, await Heartbeat(broker, Group, 1, m));
        }

        Assert.Equal(ErrorCode.UnknownMemberId, await Heartbeat(broker, Group, 1, leaving));

        // Both remaining members rejoin; the second join completes the phase for both, no timer needed.
        var first = broker.SendAsync<JoinGroupResponse>(Join(Group, staying[0]), 5);
        await Task.Delay(50);
        Assert.False(first.IsCompleted);
        var second = await broker.SendAsync<JoinGroupResponse>(Join(Group, staying[1]), 5);
        var firstDone = await first.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, second.GenerationId);
        Assert.Equal(2, firstDone.GenerationId);
        Assert.Equal(2, new[] { firstDone, second }.Single(j => j.Members.Count > 0).Members.Count);

        // The old generation is fenced.
        Assert.Equal(ErrorCode.IllegalGeneration, await Heartbeat(broker, Group, 1, staying[0]));
    }

    [Fact]
    public async Task SessionExpiryRemovesSilentMemberAndRebalances()
    {
        await using var broker = await GroupBroker.StartAsync();
        var (leader, members, generation) = await FormGroupAsync(broker);
        var silent = members.Where(m => m != leader).ToArray();

        // Only the leader keeps heartbeating; the others' sessions (10 s) run out.
        broker.Clock.Advance(6_000);
        Assert.Equal(ErrorCode.None, await Heartbeat(broker, Group, generation, leader));
        broker.Clock.Advance(5_000);

        Assert.Equal(ErrorCode.RebalanceInProgress, await Heartbeat(broker, Group, generation, leader));
        foreach (var m in silent)
        {
            Assert.Equal(ErrorCode.UnknownMemberId, await Heartbeat(broker, Group, generation, m));
        }

        var rejoin = await broker.SendAsync<JoinGroupResponse>(Join(Group, leader), 5).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal((short)ErrorCode.None, rejoin.ErrorCode);
        Assert.Equal(generation + 1, rejoin.GenerationId);
        Assert.Equal(leader, rejoin.Leader);
        Assert.Equal(leader, Assert.Single(rejoin.Members).MemberId);
    }

    [Fact]
    public async Task RejoinCompletesOnceStragglersSessionsExpire()
    {
        await using var broker = await GroupBroker.StartAsync();
        var (leader, members, generation) = await FormGroupAsync(broker);

        // The leader rejoins (forcing a rebalance); the others never do.
        var pending = broker.SendAsync<JoinGroupResponse>(Join(Group, leader), 5);
        await Task.Delay(50);
        Assert.False(pending.IsCompleted);

        // The stragglers neither heartbeat nor rejoin: their sessions expire and the join phase ends without them.
        await broker.DriveAsync(5_000, pending);
        var join = await pending;
        Assert.Equal((short)ErrorCode.None, join.ErrorCode);
        Assert.Equal(generation + 1, join.GenerationId);
        Assert.Equal(leader, Assert.Single(join.Members).MemberId);
        Assert.Equal(ErrorCode.UnknownMemberId, await Heartbeat(broker, Group, generation, members.First(m => m != leader)));
    }

    [Fact]
    public async Task LeaveGroupV0ReportsMemberErrorAtTopLevel()
    {
        await using var broker = await GroupBroker.StartAsync();
        var (_, members, _) = await FormGroupAsync(broker);

        var unknown = await broker.SendAsync<LeaveGroupResponse>(new LeaveGroupRequest { GroupId = Group, MemberId = "nobody" }, 0);
        Assert.Equal((short)ErrorCode.UnknownMemberId, unknown.ErrorCode);

        var ok = await broker.SendAsync<LeaveGroupResponse>(new LeaveGroupRequest { GroupId = Group, MemberId = members[0] }, 2);
        Assert.Equal((short)ErrorCode.None, ok.ErrorCode);
    }

    [Fact]
    public async Task JoinGroupV0UsesSessionTimeoutAsRebalanceTimeoutAndNeedsNoMemberIdRoundTrip()
    {
        await using var broker = await GroupBroker.StartAsync();
        var request = Join("v0-group");
        var pending = broker.SendAsync<JoinGroupResponse>(request, 0);
        await broker.DriveAsync(1_000, pending);
        var join = await pending;
        Assert.Equal((short)ErrorCode.None, join.ErrorCode);
        Assert.Equal(1, join.GenerationId);
        Assert.Equal(join.MemberId, join.Leader);
        Assert.Equal("range", join.ProtocolName);
    }

    [Fact]
    public async Task StaticMemberRejoinKeepsItsAssignmentWithoutARebalance()
    {
        await using var broker = await GroupBroker.StartAsync();

        // Static members (v5+ group.instance.id) skip the MEMBER_ID_REQUIRED round trip.
        var pending = broker.SendAsync<JoinGroupResponse>(Join("static-group", instanceId: "pod-0"), 5);
        await broker.DriveAsync(1_000, pending);
        var join = await pending;
        Assert.Equal((short)ErrorCode.None, join.ErrorCode);
        Assert.StartsWith("pod-0-", join.MemberId, StringComparison.Ordinal);
        Assert.Equal("pod-0", Assert.Single(join.Members).GroupInstanceId);
        Assert.Equal((short)ErrorCode.None, (await Sync(broker, "static-group", join.GenerationId, join.MemberId, (join.MemberId, [7]))).ErrorCode);

        // The pod restarts and joins as a new member with the same instance id: same generation, new id.
        var rejoin = await broker.SendAsync<JoinGroupResponse>(Join("static-group", instanceId: "pod-0"), 5).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal((short)ErrorCode.None, rejoin.ErrorCode);
        Assert.Equal(join.GenerationId, rejoin.GenerationId);
        Assert.NotEqual(join.MemberId, rejoin.MemberId);
        var sync = await Sync(broker, "static-group", rejoin.GenerationId, rejoin.MemberId);
        Assert.Equal(new byte[] { 7 }, sync.Assignment);

        // The old incarnation is fenced.
        var fenced = await broker.SendAsync<HeartbeatResponse>(new HeartbeatRequest { GroupId = "static-group", GenerationId = join.GenerationId, MemberId = join.MemberId, GroupInstanceId = "pod-0" }, 4);
        Assert.Equal((short)ErrorCode.FencedInstanceId, fenced.ErrorCode);
        var described = Assert.Single(Assert.Single((await broker.SendAsync<DescribeGroupsResponse>(new DescribeGroupsRequest { Groups = ["static-group"] }, 4)).Groups).Members);
        Assert.Equal("pod-0", described.GroupInstanceId);
    }
}
