using Tributary.Broker.Coordination;
using Tributary.Broker.Groups;
using Tributary.Protocol;
using Tributary.Protocol.Messages;
using Xunit;
using static Tributary.Broker.Tests.GroupHandlers.GroupClient;

namespace Tributary.Broker.Tests.GroupHandlers;

public sealed class OffsetPersistenceTests
{
    private const string Group = "offsets-group";

    [Fact]
    public async Task CommittedOffsetsSurviveARestart()
    {
        var log = new MemoryTopicLog();
        await using var broker = await GroupBroker.StartAsync(log: log);

        // A simple (unmanaged) consumer: generation -1, no member id.
        var commit = await broker.SendAsync<OffsetCommitResponse>(Commit(Group, -1, "", (GroupBroker.Topic, 0, 42, "meta"), (GroupBroker.Topic, 2, 7, null)), 8);
        Assert.All(Errors(commit), e => Assert.Equal(ErrorCode.None, e.Error));

        // The commit is in the group's __consumer_offsets partition, one batch with two records.
        var partition = broker.Service.PartitionFor(Group);
        var records = log.Records(GroupCoordinatorService.OffsetsTopic, partition);
        Assert.Equal(2, records.Count);
        Assert.Equal(CoordinatorRecordCodec.EncodeOffsetCommitKey(Group, GroupBroker.Topic, 0), records[0].Key);

        await broker.RestartAsync();

        var fetch = await broker.SendAsync<OffsetFetchResponse>(Fetch(Group, (GroupBroker.Topic, [0, 1, 2])), 6);
        Assert.Equal((short)ErrorCode.None, fetch.ErrorCode);
        var partitions = Assert.Single(fetch.Topics).Partitions;
        Assert.Equal([42L, -1L, 7L], partitions.Select(p => p.CommittedOffset));
        Assert.Equal(["meta", "", ""], partitions.Select(p => p.Metadata));
        Assert.Equal([4, -1, 4], partitions.Select(p => p.CommittedLeaderEpoch));

        // Null topics (v2+) fetch every committed offset.
        var all = await broker.SendAsync<OffsetFetchResponse>(Fetch(Group), 7);
        Assert.Equal([0, 2], Assert.Single(all.Topics).Partitions.Select(p => p.PartitionIndex));
    }

    [Fact]
    public async Task GroupMembershipSurvivesARestart()
    {
        await using var broker = await GroupBroker.StartAsync();
        var (pending, memberId) = await StartJoinAsync(broker, Group);
        await broker.DriveAsync(1_000, pending);
        var join = await pending;
        var sync = await Sync(broker, Group, join.GenerationId, memberId, (memberId, [1, 2, 3]));
        Assert.Equal((short)ErrorCode.None, sync.ErrorCode);
        var commit = await broker.SendAsync<OffsetCommitResponse>(Commit(Group, join.GenerationId, memberId, (GroupBroker.Topic, 1, 100, "")), 8);
        Assert.All(Errors(commit), e => Assert.Equal(ErrorCode.None, e.Error));

        await broker.RestartAsync();

        // The loaded group is Stable with the same member, generation and assignment.
        Assert.Equal(ErrorCode.None, await Heartbeat(broker, Group, join.GenerationId, memberId));
        var described = Assert.Single((await broker.SendAsync<DescribeGroupsResponse>(new DescribeGroupsRequest { Groups = [Group] }, 5)).Groups);
        Assert.Equal("Stable", described.GroupState);
        Assert.Equal(new byte[] { 1, 2, 3 }, Assert.Single(described.Members).MemberAssignment);
        var fetch = await broker.SendAsync<OffsetFetchResponse>(Fetch(Group, (GroupBroker.Topic, [1])), 5);
        Assert.Equal(100, Assert.Single(Assert.Single(fetch.Topics).Partitions).CommittedOffset);
    }

    [Fact]
    public async Task CommitIsAnsweredOnlyOnceTheAppendCompletes()
    {
        await using var broker = await GroupBroker.StartAsync();
        broker.Log.HoldAppends();
        var pending = broker.SendAsync<OffsetCommitResponse>(Commit(Group, -1, "", (GroupBroker.Topic, 0, 5, "")), 8);
        await Task.Delay(50);
        Assert.False(pending.IsCompleted);

        // Later calls on the same partition queue behind the append: nothing reads ahead of the log.
        var fetch = broker.SendAsync<OffsetFetchResponse>(Fetch(Group, (GroupBroker.Topic, [0])), 6);
        await Task.Delay(50);
        Assert.False(fetch.IsCompleted);

        broker.Log.ReleaseAppends();
        Assert.All(Errors(await pending.WaitAsync(TimeSpan.FromSeconds(10))), e => Assert.Equal(ErrorCode.None, e.Error));
        Assert.Equal(5, Assert.Single(Assert.Single((await fetch.WaitAsync(TimeSpan.FromSeconds(10))).Topics).Partitions).CommittedOffset);
    }

    [Theory]
    [InlineData(ErrorCode.NotLeaderOrFollower, ErrorCode.NotCoordinator)]
    [InlineData(ErrorCode.NotEnoughReplicas, ErrorCode.CoordinatorNotAvailable)]
    [InlineData(ErrorCode.RequestTimedOut, ErrorCode.CoordinatorNotAvailable)]
    [InlineData(ErrorCode.MessageTooLarge, ErrorCode.InvalidCommitOffsetSize)]
    [InlineData(ErrorCode.CorruptMessage, ErrorCode.UnknownServerError)]
    public async Task FailedAppendIsMappedAndThePartitionReloadsFromTheLog(ErrorCode appendError, ErrorCode expected)
    {
        await using var broker = await GroupBroker.StartAsync();
        var ok = await broker.SendAsync<OffsetCommitResponse>(Commit(Group, -1, "", (GroupBroker.Topic, 0, 1, "")), 8);
        Assert.All(Errors(ok), e => Assert.Equal(ErrorCode.None, e.Error));

        broker.Log.FailAppendsWith = appendError;
        var failed = await broker.SendAsync<OffsetCommitResponse>(Commit(Group, -1, "", (GroupBroker.Topic, 0, 2, "")), 8);
        Assert.All(Errors(failed), e => Assert.Equal(expected, e.Error));
        broker.Log.FailAppendsWith = ErrorCode.None;

        // The partition is reloaded from the log: the failed commit is not visible.
        var partition = broker.Service.PartitionFor(Group);
        await WaitUntilAsync(() => broker.Service.StateOf(partition) == CoordinatorPartitionState.Active);
        var fetch = await broker.SendAsync<OffsetFetchResponse>(Fetch(Group, (GroupBroker.Topic, [0])), 6);
        Assert.Equal(1, Assert.Single(Assert.Single(fetch.Topics).Partitions).CommittedOffset);
    }

    [Fact]
    public async Task UnknownTopicsAndOversizedMetadataArePerPartitionErrors()
    {
        await using var broker = await GroupBroker.StartAsync();
        var request = Commit(Group, -1, "",
            ("missing", 0, 1, ""),
            (GroupBroker.Topic, 0, 1, ""),
            (GroupBroker.Topic, 9, 1, ""),
            (GroupBroker.Topic, 1, 1, new string('x', 4097)));
        var response = await broker.SendAsync<OffsetCommitResponse>(request, 8);
        Assert.Equal(
            [("missing", 0, ErrorCode.UnknownTopicOrPartition), (GroupBroker.Topic, 0, ErrorCode.None),
             (GroupBroker.Topic, 9, ErrorCode.UnknownTopicOrPartition), (GroupBroker.Topic, 1, ErrorCode.OffsetMetadataTooLarge)],
            Errors(response));

        // A request with only unknown partitions never reaches the coordinator (no append).
        var appends = broker.Log.AppendCount;
        var unknown = await broker.SendAsync<OffsetCommitResponse>(Commit("other", -1, "", ("missing", 0, 1, "")), 2);
        Assert.Equal(ErrorCode.UnknownTopicOrPartition, Assert.Single(Errors(unknown)).Error);
        Assert.Equal(appends, broker.Log.AppendCount);
    }

    [Fact]
    public async Task OffsetFetchV8AnswersSeveralGroups()
    {
        await using var broker = await GroupBroker.StartAsync();
        await broker.SendAsync<OffsetCommitResponse>(Commit("g1", -1, "", (GroupBroker.Topic, 0, 10, "")), 8);
        await broker.SendAsync<OffsetCommitResponse>(Commit("g2", -1, "", (GroupBroker.Topic, 1, 20, "")), 8);

        var request = new OffsetFetchRequest
        {
            RequireStable = true,
            Groups =
            [
                new OffsetFetchRequest.OffsetFetchRequestGroup { GroupId = "g1", Topics = null },
                new OffsetFetchRequest.OffsetFetchRequestGroup
                {
                    GroupId = "g2",
                    Topics = [new OffsetFetchRequest.OffsetFetchRequestTopics { Name = GroupBroker.Topic, PartitionIndexes = [0, 1] }],
                },
            ],
        };
        var response = await broker.SendAsync<OffsetFetchResponse>(request, 8);
        Assert.Equal(["g1", "g2"], response.Groups.Select(g => g.GroupId));
        Assert.All(response.Groups, g => Assert.Equal((short)ErrorCode.None, g.ErrorCode));
        Assert.Equal(10, Assert.Single(Assert.Single(response.Groups[0].Topics).Partitions).CommittedOffset);
        Assert.Equal([-1L, 20L], Assert.Single(response.Groups[1].Topics).Partitions.Select(p => p.CommittedOffset));
    }

    [Fact]
    public async Task MemberCommitsAreCheckedAgainstTheGroup()
    {
        await using var broker = await GroupBroker.StartAsync();
        var (pending, memberId) = await StartJoinAsync(broker, Group);
        await broker.DriveAsync(1_000, pending);
        var join = await pending;

        // Joined but not synced yet: REBALANCE_IN_PROGRESS.
        var early = await broker.SendAsync<OffsetCommitResponse>(Commit(Group, join.GenerationId, memberId, (GroupBroker.Topic, 0, 1, "")), 8);
        Assert.Equal(ErrorCode.RebalanceInProgress, Assert.Single(Errors(early)).Error);

        await Sync(broker, Group, join.GenerationId, memberId, (memberId, []));
        var stale = await broker.SendAsync<OffsetCommitResponse>(Commit(Group, join.GenerationId + 5, memberId, (GroupBroker.Topic, 0, 1, "")), 8);
        Assert.Equal(ErrorCode.IllegalGeneration, Assert.Single(Errors(stale)).Error);
        var stranger = await broker.SendAsync<OffsetCommitResponse>(Commit(Group, join.GenerationId, "stranger", (GroupBroker.Topic, 0, 1, "")), 8);
        Assert.Equal(ErrorCode.UnknownMemberId, Assert.Single(Errors(stranger)).Error);
        var simple = await broker.SendAsync<OffsetCommitResponse>(Commit(Group, -1, "", (GroupBroker.Topic, 0, 1, "")), 8);
        Assert.Equal(ErrorCode.UnknownMemberId, Assert.Single(Errors(simple)).Error);
        var good = await broker.SendAsync<OffsetCommitResponse>(Commit(Group, join.GenerationId, memberId, (GroupBroker.Topic, 0, 1, "")), 8);
        Assert.Equal(ErrorCode.None, Assert.Single(Errors(good)).Error);
    }

    internal static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }
}
