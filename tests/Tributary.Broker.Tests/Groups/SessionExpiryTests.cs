using Tributary.Broker.Groups;
using Tributary.Protocol;
using Xunit;

namespace Tributary.Broker.Tests.Groups;

/// <summary>
/// Session expiry as requests observe it: a member whose session lapsed is gone for any request
/// that arrives after the deadline, whether or not the host's timer has fired yet (timers run a
/// few milliseconds late, and clients such as librdkafka's test 0081 delete the groups of closed
/// static consumers exactly one session timeout after their last commit).
/// </summary>
public sealed class SessionExpiryTests
{
    private static readonly string[] Groups = ["g0", "g1", "g2"];

    /// <summary>One stable group per id, each with a single static member; returns the member ids.</summary>
    private static List<string> StableStaticGroups(GroupFixture f)
    {
        var members = new List<string>();
        for (var i = 0; i < Groups.Length; i++)
        {
            var token = f.NextToken();
            var request = GroupFixture.JoinRequest(clientId: $"client_id_{i}", instanceId: $"group_instance_id_{i}", group: Groups[i]);
            Assert.Empty(f.Join(token, request).Joins);
            var join = Assert.Single(f.Tick(GroupFixture.InitialDelayMs).Joins);
            Assert.Equal(token, join.Token);
            var memberId = join.Result.MemberId;
            var sync = f.Track(f.Coordinator.SyncGroup(f.NextToken(), new SyncGroupRequest(Groups[i], join.Result.GenerationId, memberId,
                $"group_instance_id_{i}", null, null, new Dictionary<string, byte[]> { [memberId] = [1] })));
            Assert.Equal(ErrorCode.None, Assert.Single(sync.Syncs).Result.Error);
            members.Add(memberId);
        }

        return members;
    }

    /// <summary>What a closing static consumer does last: commit, and never send LeaveGroup.</summary>
    private static void CommitOnClose(GroupFixture f, List<string> members)
    {
        for (var i = 0; i < Groups.Length; i++)
        {
            var commit = f.Coordinator.CommitOffsets(new OffsetCommitRequest(Groups[i], 1, members[i], $"group_instance_id_{i}",
                [new OffsetCommitEntry("t", 0, 100, -1, null)]));
            f.Track(commit.Actions);
            Assert.Equal(ErrorCode.None, Assert.Single(commit.Response).Error);
        }
    }

    [Fact]
    public void StaticMembersWhoseSessionsLapsedLeaveDeletableGroupsBeforeTheTimerFires()
    {
        var f = new GroupFixture();
        var members = StableStaticGroups(f);
        CommitOnClose(f, members);

        // Exactly one session timeout after the last commit, before any OnTick.
        f.Clock.Advance(GroupFixture.SessionMs);
        var result = f.Coordinator.DeleteGroups(Groups);
        f.Track(result.Actions);
        Assert.Equal(Groups, result.Response.Select(r => r.GroupId));
        Assert.All(result.Response, r => Assert.Equal(ErrorCode.None, r.Error));
        Assert.Empty(f.Coordinator.ListGroups().Response.Groups);

        // The log holds the emptied group (no members) before its tombstone, as after a timer expiry.
        var key = CoordinatorRecordCodec.EncodeGroupMetadataKey("g0");
        var records = f.Log.Where(r => r.Key.AsSpan().SequenceEqual(key)).ToList();
        Assert.Null(records[^1].Value);
        Assert.Empty(CoordinatorRecordCodec.DecodeGroupMetadataValue(records[^2].Value!).Members);
    }

    [Fact]
    public void MemberIsKeptUntilItsDeadline()
    {
        var f = new GroupFixture();
        var members = StableStaticGroups(f);
        CommitOnClose(f, members);
        f.Clock.Advance(GroupFixture.SessionMs - 1);

        var result = f.Coordinator.DeleteGroups(Groups);
        Assert.All(result.Response, r => Assert.Equal(ErrorCode.NonEmptyGroup, r.Error));
        Assert.True(result.Actions.IsEmpty);
        Assert.Equal(GroupState.Stable, f.Coordinator.DescribeGroup("g1").Response.State);
    }

    [Fact]
    public void DescribeAndHeartbeatSeeALapsedSession()
    {
        var f = new GroupFixture();
        var members = StableStaticGroups(f);
        CommitOnClose(f, members);
        f.Clock.Advance(GroupFixture.SessionMs);

        var described = f.Coordinator.DescribeGroup("g0");
        Assert.Equal(GroupState.Empty, described.Response.State);
        Assert.Empty(described.Response.Members);
        Assert.NotEmpty(described.Actions.Records);

        var heartbeat = f.Coordinator.Heartbeat(new HeartbeatRequest("g1", 1, members[1], "group_instance_id_1"));
        Assert.Equal(ErrorCode.UnknownMemberId, heartbeat.Response);
        Assert.Equal(GroupState.Empty, f.Coordinator.DescribeGroup("g1").Response.State);

        Assert.All(f.Coordinator.ListGroups().Response.Groups, g => Assert.Equal(GroupState.Empty, g.State));
    }

    [Fact]
    public void TimerExpiryEmptiesTheGroupsToo()
    {
        var f = new GroupFixture();
        var members = StableStaticGroups(f);
        CommitOnClose(f, members);

        var tick = f.Tick(GroupFixture.SessionMs);
        Assert.Equal(Groups.Length, tick.Records.Count);
        Assert.All(f.Coordinator.DeleteGroups(Groups).Response, r => Assert.Equal(ErrorCode.None, r.Error));
    }

    [Fact]
    public void StaticMemberRejoiningAfterItsSessionLapsedStartsAFreshGeneration()
    {
        var f = new GroupFixture();
        var members = StableStaticGroups(f);
        f.Clock.Advance(GroupFixture.SessionMs);

        // The old incarnation expired on arrival of the join, so the group restarts from Empty
        // (initial delay) instead of replacing the member in a stable generation.
        var token = f.NextToken();
        var rejoin = f.Join(token, GroupFixture.JoinRequest(clientId: "client_id_0", instanceId: "group_instance_id_0", group: "g0"));
        Assert.Empty(rejoin.Joins);
        Assert.Equal(GroupState.PreparingRebalance, f.Coordinator.DescribeGroup("g0").Response.State);
        var join = Assert.Single(f.Tick(GroupFixture.InitialDelayMs).Joins);
        Assert.Equal(3, join.Result.GenerationId);
        Assert.NotEqual(members[0], join.Result.MemberId);
    }
}
