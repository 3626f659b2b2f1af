using Tributary.Broker.Groups;
using Tributary.Protocol;
using Tributary.Storage;
using Xunit;

namespace Tributary.Broker.Tests.Groups;

public sealed class OffsetTests
{
    private static OffsetCommitRequest Simple(string group, params (string Topic, int Partition, long Offset)[] offsets) =>
        new(group, -1, "", null, offsets.Select(o => new OffsetCommitEntry(o.Topic, o.Partition, o.Offset, 7, "meta")).ToList());

    [Fact]
    public void SimpleConsumerCommitsAndFetches()
    {
        var f = new GroupFixture();
        var commit = f.Coordinator.CommitOffsets(Simple("simple", ("t", 0, 10), ("t", 1, 20), ("a", 0, 5)));
        Assert.All(commit.Response, r => Assert.Equal(ErrorCode.None, r.Error));
        Assert.Equal(3, commit.Actions.Records.Count);

        var some = f.Coordinator.FetchOffsets("simple", [new TopicPartition("t", 1), new TopicPartition("t", 9)]);
        Assert.Equal(ErrorCode.None, some.Error);
        Assert.Equal(new FetchedOffset("t", 1, 20, 7, "meta", ErrorCode.None), some.Partitions[0]);
        Assert.Equal(new FetchedOffset("t", 9, -1, -1, "", ErrorCode.None), some.Partitions[1]);

        var all = f.Coordinator.FetchOffsets("simple", null);
        Assert.Equal([("a", 0), ("t", 0), ("t", 1)], all.Partitions.Select(p => (p.Topic, p.Partition)));

        Assert.Empty(f.Coordinator.FetchOffsets("unknown", null).Partitions);
        Assert.Equal(-1, Assert.Single(f.Coordinator.FetchOffsets("unknown", [new TopicPartition("t", 0)]).Partitions).Offset);
        Assert.Equal(new ListedGroup("simple", "", GroupState.Empty), Assert.Single(f.Coordinator.ListGroups().Response.Groups));
    }

    [Fact]
    public void CommitValidatesGenerationAndMember()
    {
        var f = new GroupFixture();
        ErrorCode Commit(int generation, string member, string group = GroupFixture.Group) =>
            Assert.Single(f.Coordinator.CommitOffsets(new OffsetCommitRequest(group, generation, member, null,
                [new OffsetCommitEntry("t", 0, 42, -1, null)])).Response).Error;

        Assert.Equal(ErrorCode.IllegalGeneration, Commit(3, "m", "no-such-group"));
        var (members, generation) = f.StableGroup("a", "b");
        Assert.Equal(ErrorCode.None, Commit(generation, members[1]));
        Assert.Equal(ErrorCode.IllegalGeneration, Commit(generation + 1, members[1]));
        Assert.Equal(ErrorCode.UnknownMemberId, Commit(generation, "ghost"));
        Assert.Equal(ErrorCode.UnknownMemberId, Commit(-1, ""));

        // PreparingRebalance still accepts commits from the current generation.
        Assert.Empty(f.Join(100, GroupFixture.JoinRequest(members[0], "a")).Joins);
        Assert.Equal(ErrorCode.None, Commit(generation, members[1]));

        // CompletingRebalance does not: the member has not received its new assignment.
        var joins = f.Join(101, GroupFixture.JoinRequest(members[1], "b")).Joins;
        Assert.Equal(2, joins.Count);
        Assert.Equal(ErrorCode.RebalanceInProgress, Commit(generation + 1, members[1]));

        var fetched = f.Coordinator.FetchOffsets(GroupFixture.Group, [new TopicPartition("t", 0)]);
        Assert.Equal(42, fetched.Partitions[0].Offset);
        Assert.Equal("", fetched.Partitions[0].Metadata);
    }

    [Fact]
    public void MetadataTooLargeIsRejectedPerPartition()
    {
        var f = new GroupFixture(new GroupCoordinatorConfig { OffsetsTopicPartitions = 1, OffsetMetadataMaxBytes = 4 });
        var result = f.Coordinator.CommitOffsets(new OffsetCommitRequest("g", -1, "", null,
            [new OffsetCommitEntry("t", 0, 1, -1, "12345"), new OffsetCommitEntry("t", 1, 1, -1, "1234")]));
        Assert.Equal([ErrorCode.OffsetMetadataTooLarge, ErrorCode.None], result.Response.Select(r => r.Error));
        Assert.Single(result.Actions.Records);
    }

    [Fact]
    public void OffsetDeleteRespectsSubscriptions()
    {
        var f = new GroupFixture();
        Assert.Equal(ErrorCode.GroupIdNotFound, f.Coordinator.DeleteOffsets("none", [new TopicPartition("t", 0)]).Response.Error);

        var (members, generation) = f.StableGroup("a");
        f.Coordinator.CommitOffsets(new OffsetCommitRequest(GroupFixture.Group, generation, members[0], null,
            [new OffsetCommitEntry("t", 0, 1, -1, null), new OffsetCommitEntry("old", 0, 2, -1, null)]));

        var deleted = f.Coordinator.DeleteOffsets(GroupFixture.Group, [new TopicPartition("t", 0), new TopicPartition("old", 0)]);
        Assert.Equal(ErrorCode.None, deleted.Response.Error);
        Assert.Equal([ErrorCode.GroupSubscribedToTopic, ErrorCode.None], deleted.Response.Partitions.Select(p => p.Error));
        var tombstone = Assert.Single(deleted.Actions.Records);
        Assert.Null(tombstone.Value);
        Assert.Equal(-1, f.Coordinator.FetchOffsets(GroupFixture.Group, [new TopicPartition("old", 0)]).Partitions[0].Offset);

        // Once empty, everything may be deleted.
        f.Coordinator.LeaveGroup(GroupFixture.Group, [new MemberIdentity(members[0], null)]);
        var all = f.Coordinator.DeleteOffsets(GroupFixture.Group, [new TopicPartition("t", 0)]);
        Assert.Equal(ErrorCode.None, Assert.Single(all.Response.Partitions).Error);
        Assert.Empty(f.Coordinator.FetchOffsets(GroupFixture.Group, null).Partitions);
    }

    [Fact]
    public void OffsetDeleteOnNonConsumerGroupRequiresEmpty()
    {
        var f = new GroupFixture();
        f.Join(1, GroupFixture.JoinRequest(protocolType: "connect", protocols: [new GroupProtocol("default", [1])]));
        Assert.Equal(ErrorCode.NonEmptyGroup, f.Coordinator.DeleteOffsets(GroupFixture.Group, [new TopicPartition("t", 0)]).Response.Error);
    }

    [Fact]
    public void DeleteGroups()
    {
        var f = new GroupFixture();
        f.Coordinator.CommitOffsets(Simple("empty", ("t", 0, 1), ("t", 1, 2)));
        f.StableGroup("a");
        var result = f.Coordinator.DeleteGroups(["empty", GroupFixture.Group, "missing"]);
        Assert.Equal([ErrorCode.None, ErrorCode.NonEmptyGroup, ErrorCode.GroupIdNotFound], result.Response.Select(r => r.Error));
        Assert.Equal(3, result.Actions.Records.Count);
        Assert.All(result.Actions.Records, r => Assert.Null(r.Value));
        Assert.Equal(GroupState.Dead, f.Coordinator.DescribeGroup("empty").Response.State);
        Assert.Empty(f.Coordinator.FetchOffsets("empty", null).Partitions);
    }

    [Fact]
    public void ListAndDescribeGroups()
    {
        var f = new GroupFixture();
        f.Coordinator.CommitOffsets(Simple("simple", ("t", 0, 1)));
        var (members, _) = f.StableGroup("a");
        Assert.Equal(["my-group", "simple"], f.Coordinator.ListGroups().Response.Groups.Select(g => g.GroupId));
        Assert.Equal(["my-group"], f.Coordinator.ListGroups([GroupState.Stable]).Response.Groups.Select(g => g.GroupId));
        Assert.Equal(["simple"], f.Coordinator.ListGroups([GroupState.Empty, GroupState.Dead]).Response.Groups.Select(g => g.GroupId));

        var described = f.Coordinator.DescribeGroup(GroupFixture.Group).Response;
        var member = Assert.Single(described.Members);
        Assert.Equal(members[0], member.MemberId);
        Assert.Equal("a", member.ClientId);
        Assert.Equal("/127.0.0.1", member.ClientHost);
        Assert.Equal(GroupFixture.Subscription("t"), member.Metadata);

        var unknown = f.Coordinator.DescribeGroup("nope").Response;
        Assert.Equal(GroupState.Dead, unknown.State);
        Assert.Equal(ErrorCode.None, unknown.Error);
    }

    [Fact]
    public void OffsetsOfEmptyGroupsExpireAfterRetention()
    {
        var config = new GroupCoordinatorConfig { OffsetsTopicPartitions = 1, OffsetsRetentionMs = 60_000, OffsetsRetentionCheckIntervalMs = 10_000 };
        var f = new GroupFixture(config);
        f.Coordinator.CommitOffsets(Simple("simple", ("t", 0, 1)));
        var (members, generation) = f.StableGroup("a");
        f.Coordinator.CommitOffsets(new OffsetCommitRequest(GroupFixture.Group, generation, members[0], null, [new OffsetCommitEntry("t", 0, 1, -1, null)]));

        // A stable group keeps offsets of subscribed topics however old they are.
        for (var i = 0; i < 7; i++)
        {
            f.Heartbeat(members[0], generation);
            f.Tick(9_000);
        }

        Assert.Equal(GroupState.Dead, f.Coordinator.DescribeGroup("simple").Response.State);
        Assert.Single(f.Coordinator.FetchOffsets(GroupFixture.Group, null).Partitions);

        // Once empty, retention counts from the moment the group became empty.
        f.Coordinator.LeaveGroup(GroupFixture.Group, [new MemberIdentity(members[0], null)]);
        f.Tick(50_000);
        Assert.Single(f.Coordinator.FetchOffsets(GroupFixture.Group, null).Partitions);
        var expiry = f.Tick(20_000);
        Assert.Equal(2, expiry.Records.Count); // offset tombstone, then group tombstone
        Assert.All(expiry.Records, r => Assert.Null(r.Value));
        Assert.Equal(GroupState.Dead, f.Coordinator.DescribeGroup(GroupFixture.Group).Response.State);
    }
}
