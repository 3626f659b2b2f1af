using Tributary.Broker.Groups;
using Tributary.Protocol;
using Tributary.Storage;
using Xunit;

namespace Tributary.Broker.Tests.Groups;

public sealed class GroupPersistenceTests
{
    private static GroupFixture Replay(GroupFixture source)
    {
        var target = new GroupFixture(source.Config, load: false);
        target.Clock.Advance(source.Clock.NowMs - target.Clock.NowMs);
        target.Coordinator.BeginLoad(0);
        foreach (var record in source.Log)
        {
            Assert.True(target.Coordinator.Replay(record.Partition, record.Key, record.Value), Convert.ToHexString(record.Key) + " " + (record.Value is null ? "null" : Convert.ToHexString(record.Value)));
        }

        target.Coordinator.CompleteLoad(0);
        return target;
    }

    [Fact]
    public void ReplayingRecordsRebuildsGroupsAndOffsets()
    {
        var f = new GroupFixture();
        var (members, generation) = f.StableGroup("a", "b");
        f.Track(f.Coordinator.CommitOffsets(new OffsetCommitRequest(GroupFixture.Group, generation, members[0], null,
            [new OffsetCommitEntry("t", 0, 100, 3, "x"), new OffsetCommitEntry("t", 1, 200, 3, null)])).Actions);
        f.Track(f.Coordinator.CommitOffsets(new OffsetCommitRequest(GroupFixture.Group, generation, members[0], null,
            [new OffsetCommitEntry("t", 0, 150, 4, "y")])).Actions);
        f.Track(f.Coordinator.CommitOffsets(new OffsetCommitRequest("simple", -1, "", null, [new OffsetCommitEntry("s", 0, 1, -1, null)])).Actions);
        f.Track(f.Coordinator.CommitOffsets(new OffsetCommitRequest("gone", -1, "", null, [new OffsetCommitEntry("s", 0, 1, -1, null)])).Actions);
        f.Track(f.Coordinator.DeleteGroups(["gone"]).Actions);

        var r = Replay(f);
        var before = f.Coordinator.DescribeGroup(GroupFixture.Group).Response;
        var after = r.Coordinator.DescribeGroup(GroupFixture.Group).Response;
        Assert.Equal(GroupState.Stable, after.State);
        Assert.Equal(before.Protocol, after.Protocol);
        Assert.Equal(before.ProtocolType, after.ProtocolType);
        Assert.Equal(before.Members.Select(m => (m.MemberId, m.ClientId, m.ClientHost)), after.Members.Select(m => (m.MemberId, m.ClientId, m.ClientHost)));
        Assert.Equal(before.Members.Select(m => m.Assignment), after.Members.Select(m => m.Assignment));
        Assert.Equal(before.Members.Select(m => m.Metadata), after.Members.Select(m => m.Metadata));
        Assert.Equal(f.Coordinator.FetchOffsets(GroupFixture.Group, null).Partitions, r.Coordinator.FetchOffsets(GroupFixture.Group, null).Partitions);
        Assert.Equal(150, r.Coordinator.FetchOffsets(GroupFixture.Group, [new TopicPartition("t", 0)]).Partitions[0].Offset);
        Assert.Equal(f.Coordinator.ListGroups().Response.Groups, r.Coordinator.ListGroups().Response.Groups);
        Assert.Equal(GroupState.Dead, r.Coordinator.DescribeGroup("gone").Response.State);

        // The reloaded group keeps serving the same generation.
        Assert.Equal(ErrorCode.None, r.Heartbeat(members[1], generation));
        Assert.Equal(ErrorCode.None, Assert.Single(r.Sync(1, members[1], generation).Syncs).Result.Error);
        var join = Assert.Single(r.Join(2, GroupFixture.JoinRequest(members[1], "b")).Joins).Result;
        Assert.Equal(members[0], join.LeaderId);
        Assert.Equal(generation, join.GenerationId);
    }

    [Fact]
    public void ReplayedStaticMemberIsStillFencedAndMapped()
    {
        var f = new GroupFixture();
        f.Join(1, GroupFixture.JoinRequest(clientId: "c", instanceId: "i1"));
        var member = Assert.Single(f.Tick(GroupFixture.InitialDelayMs).Joins).Result.MemberId;
        f.Sync(2, member, 1, new Dictionary<string, byte[]> { [member] = [9] }, "i1");

        var r = Replay(f);
        Assert.Equal(ErrorCode.FencedInstanceId, r.Heartbeat("stale", 1, "i1"));
        Assert.Equal(ErrorCode.None, r.Heartbeat(member, 1, "i1"));
        var rejoin = Assert.Single(r.Join(3, GroupFixture.JoinRequest(clientId: "c", instanceId: "i1")).Joins).Result;
        Assert.Equal(ErrorCode.None, rejoin.Error);
        Assert.Equal(1, rejoin.GenerationId);
    }

    [Fact]
    public void ReplaySkipsUndecodableRecordsAndUnknownKeyVersions()
    {
        var f = new GroupFixture(load: false);
        f.Coordinator.BeginLoad(0);
        Assert.False(f.Coordinator.Replay(0, new byte[] { 0, 1, 0 }, null));
        Assert.True(f.Coordinator.Replay(0, new byte[] { 0, 9, 1, 2 }, new byte[] { 7 }));
        Assert.False(f.Coordinator.Replay(0, CoordinatorRecordCodec.EncodeGroupMetadataKey("g"), new byte[] { 0, 3, 0 }));
        f.Coordinator.CompleteLoad(0);
        Assert.Empty(f.Coordinator.ListGroups().Response.Groups);
    }
}
