using Tributary.Broker.Groups;
using Tributary.Protocol;
using Xunit;

namespace Tributary.Broker.Tests.Groups;

public sealed class GroupErrorTests
{
    private static ErrorCode JoinError(GroupFixture f, JoinGroupRequest request) =>
        Assert.Single(f.Join(f.NextToken(), request).Joins).Result.Error;

    [Fact]
    public void JoinGroupRejectsInvalidInput()
    {
        var f = new GroupFixture();
        Assert.Equal(ErrorCode.InvalidSessionTimeout, JoinError(f, GroupFixture.JoinRequest(sessionMs: 5_999)));
        Assert.Equal(ErrorCode.InvalidSessionTimeout, JoinError(f, GroupFixture.JoinRequest(sessionMs: 1_800_001)));
        Assert.Equal(ErrorCode.InvalidGroupId, JoinError(f, GroupFixture.JoinRequest(group: "")));
        Assert.Equal(ErrorCode.UnknownMemberId, JoinError(f, GroupFixture.JoinRequest(memberId: "ghost")));
        Assert.Equal(ErrorCode.InconsistentGroupProtocol, JoinError(f, GroupFixture.JoinRequest(protocolType: "")));
        Assert.Equal(ErrorCode.InconsistentGroupProtocol, JoinError(f, GroupFixture.JoinRequest(protocols: [])));
    }

    [Fact]
    public void JoinGroupRejectsIncompatibleProtocols()
    {
        var f = new GroupFixture();
        f.StableGroup("a");
        Assert.Equal(ErrorCode.InconsistentGroupProtocol, JoinError(f, GroupFixture.JoinRequest(protocolType: "connect")));
        Assert.Equal(ErrorCode.InconsistentGroupProtocol,
            JoinError(f, GroupFixture.JoinRequest(protocols: [new GroupProtocol("sticky", GroupFixture.Subscription("t"))])));
    }

    [Fact]
    public void ProtocolChosenByVotesAmongProtocolsAllMembersSupport()
    {
        var f = new GroupFixture();
        var meta = GroupFixture.Subscription("t");
        f.Join(1, GroupFixture.JoinRequest(clientId: "a", protocols: [new("sticky", meta), new("range", meta), new("roundrobin", meta)]));
        f.Join(2, GroupFixture.JoinRequest(clientId: "b", protocols: [new("roundrobin", meta), new("range", meta)]));
        f.Join(3, GroupFixture.JoinRequest(clientId: "c", protocols: [new("roundrobin", meta), new("range", meta), new("sticky", meta)]));
        var joins = f.Tick(GroupFixture.InitialDelayMs).Joins.Concat(f.Tick(GroupFixture.InitialDelayMs).Joins).ToList();

        // sticky is not supported by b; a votes range, b and c vote roundrobin.
        Assert.Equal(3, joins.Count);
        Assert.All(joins, j => Assert.Equal("roundrobin", j.Result.ProtocolName));
    }

    [Fact]
    public void GroupsOfOtherCoordinatorsAndLoadingPartitions()
    {
        var f = new GroupFixture(new GroupCoordinatorConfig { OffsetsTopicPartitions = 50 }, load: false);
        var partition = f.Coordinator.PartitionFor("my-group");
        Assert.Equal(12, partition);
        Assert.Equal(ErrorCode.NotCoordinator, JoinError(f, GroupFixture.JoinRequest()));
        Assert.Equal(ErrorCode.NotCoordinator, f.Heartbeat("m", 1));

        f.Coordinator.BeginLoad(partition);
        Assert.Equal(ErrorCode.CoordinatorLoadInProgress, JoinError(f, GroupFixture.JoinRequest()));
        Assert.Equal(ErrorCode.CoordinatorLoadInProgress, f.Coordinator.FetchOffsets("my-group", null).Error);
        Assert.Equal(ErrorCode.CoordinatorLoadInProgress, f.Coordinator.ListGroups().Response.Error);

        f.Coordinator.CompleteLoad(partition);
        Assert.Equal(ErrorCode.MemberIdRequired, JoinError(f, GroupFixture.JoinRequest(requireKnownMemberId: true)));
        Assert.Equal(ErrorCode.None, f.Coordinator.ListGroups().Response.Error);
    }

    [Fact]
    public void SyncGroupErrors()
    {
        var f = new GroupFixture();
        var (members, generation) = f.StableGroup("a", "b");
        ErrorCode SyncError(string member, int gen, string? protocolName = null) =>
            Assert.Single(f.Sync(f.NextToken(), member, gen, null, null, protocolName).Syncs).Result.Error;

        Assert.Equal(ErrorCode.UnknownMemberId, SyncError("ghost", generation));
        Assert.Equal(ErrorCode.IllegalGeneration, SyncError(members[1], generation + 1));
        Assert.Equal(ErrorCode.InconsistentGroupProtocol, SyncError(members[1], generation, "roundrobin"));
        Assert.Equal(ErrorCode.None, SyncError(members[1], generation, "range"));
        var wrongType = f.Coordinator.SyncGroup(f.NextToken(), new SyncGroupRequest(GroupFixture.Group, generation, members[1], null, "connect", null,
            new Dictionary<string, byte[]>()));
        Assert.Equal(ErrorCode.InconsistentGroupProtocol, Assert.Single(wrongType.Syncs).Result.Error);

        f.Join(f.NextToken(), GroupFixture.JoinRequest(members[0], "a"));
        Assert.Equal(ErrorCode.RebalanceInProgress, SyncError(members[1], generation));
    }

    [Fact]
    public void NewRebalanceAnswersParkedSyncsWithRebalanceInProgress()
    {
        var f = new GroupFixture();
        f.Join(1, GroupFixture.JoinRequest(clientId: "a"));
        f.Join(2, GroupFixture.JoinRequest(clientId: "b"));
        var joins = f.Tick(GroupFixture.InitialDelayMs).Joins.Concat(f.Tick(GroupFixture.InitialDelayMs).Joins).ToList();
        var leader = joins[0].Result.LeaderId;
        var follower = joins.Single(j => j.Result.MemberId != leader).Result.MemberId;
        Assert.Empty(f.Sync(3, follower, 1).Syncs);

        // A new member arrives before the leader syncs: the parked follower is told to rejoin.
        var actions = f.Join(4, GroupFixture.JoinRequest(clientId: "c"));
        var sync = Assert.Single(actions.Syncs);
        Assert.Equal(3, sync.Token);
        Assert.Equal(ErrorCode.RebalanceInProgress, sync.Result.Error);
    }

    [Fact]
    public void HeartbeatErrors()
    {
        var f = new GroupFixture();
        Assert.Equal(ErrorCode.UnknownMemberId, f.Heartbeat("ghost", 0));
        var (members, generation) = f.StableGroup("a");
        Assert.Equal(ErrorCode.IllegalGeneration, f.Heartbeat(members[0], generation - 1));
        Assert.Equal(ErrorCode.UnknownMemberId, f.Heartbeat("ghost", generation));
        Assert.Equal(ErrorCode.InvalidGroupId, f.Coordinator.Heartbeat(new HeartbeatRequest("", 1, members[0], null)).Response);
    }

    [Fact]
    public void LeaveGroupErrors()
    {
        var f = new GroupFixture();
        var unknownGroup = f.Coordinator.LeaveGroup("nobody", [new MemberIdentity("m", null)]);
        Assert.Equal(ErrorCode.UnknownMemberId, Assert.Single(unknownGroup.Response.Members).Error);

        var (members, _) = f.StableGroup("a", "b");
        var result = f.Coordinator.LeaveGroup(GroupFixture.Group, [new MemberIdentity("ghost", null), new MemberIdentity(members[1], null)]);
        Assert.Equal([ErrorCode.UnknownMemberId, ErrorCode.None], result.Response.Members.Select(m => m.Error));

        // The remaining member alone completes the next join phase as soon as it rejoins.
        var join = Assert.Single(f.Join(99, GroupFixture.JoinRequest(members[0], "a")).Joins);
        Assert.Equal([members[0]], join.Result.Members.Select(m => m.MemberId));
    }

    [Fact]
    public void LastMemberLeavingEmptiesTheGroup()
    {
        var f = new GroupFixture();
        var (members, generation) = f.StableGroup("a");
        var leave = f.Coordinator.LeaveGroup(GroupFixture.Group, [new MemberIdentity(members[0], null)]);
        Assert.Single(leave.Actions.Records);
        var described = f.Coordinator.DescribeGroup(GroupFixture.Group).Response;
        Assert.Equal(GroupState.Empty, described.State);
        Assert.Empty(described.Members);

        // A commit from the departed member's generation no longer counts.
        var commit = f.Coordinator.CommitOffsets(new OffsetCommitRequest(GroupFixture.Group, generation, members[0], null, [new OffsetCommitEntry("t", 0, 1, -1, null)]));
        Assert.Equal(ErrorCode.UnknownMemberId, Assert.Single(commit.Response).Error);
    }

    [Fact]
    public void PendingMemberThatNeverReturnsDoesNotBlockTheJoin()
    {
        var f = new GroupFixture();
        var (members, _) = f.StableGroup("a");
        var pending = Assert.Single(f.Join(50, GroupFixture.JoinRequest(clientId: "b", requireKnownMemberId: true)).Joins);
        Assert.Equal(ErrorCode.MemberIdRequired, pending.Result.Error);

        // The leader rejoins; the join waits for the pending member until its session timeout.
        Assert.Empty(f.Join(51, GroupFixture.JoinRequest(members[0], "a")).Joins);
        var join = Assert.Single(f.Tick(GroupFixture.SessionMs).Joins);
        Assert.Equal([members[0]], join.Result.Members.Select(m => m.MemberId));
    }

    [Fact]
    public void GroupMaxSizeRejectsExtraMembers()
    {
        var f = new GroupFixture(new GroupCoordinatorConfig { OffsetsTopicPartitions = 1, GroupMaxSize = 2 });
        f.StableGroup("a", "b");
        var result = Assert.Single(f.Join(70, GroupFixture.JoinRequest(clientId: "c")).Joins).Result;
        Assert.Equal(ErrorCode.GroupMaxSizeReached, result.Error);
        Assert.Equal(2, f.Coordinator.DescribeGroup(GroupFixture.Group).Response.Members.Count);
    }

    [Fact]
    public void UnloadAnswersParkedRequestsWithNotCoordinator()
    {
        var f = new GroupFixture();
        Assert.Empty(f.Join(1, GroupFixture.JoinRequest(clientId: "a")).Joins);
        var actions = f.Coordinator.Unload(0);
        var join = Assert.Single(actions.Joins);
        Assert.Equal(1, join.Token);
        Assert.Equal(ErrorCode.NotCoordinator, join.Result.Error);
        Assert.Equal(ErrorCode.NotCoordinator, f.Coordinator.DescribeGroup(GroupFixture.Group).Response.Error);
    }
}
