using Tributary.Protocol;
using Tributary.Protocol.Messages;
using Xunit;
using static Tributary.Broker.Tests.GroupHandlers.GroupClient;

namespace Tributary.Broker.Tests.GroupHandlers;

public sealed class GroupAdminTests
{
    /// <summary>"active" is Stable with one member; "idle" is Empty with offsets only.</summary>
    private static async Task<(GroupBroker Broker, string MemberId)> TwoGroupsAsync()
    {
        var broker = await GroupBroker.StartAsync();
        var (pending, memberId) = await StartJoinAsync(broker, "active");
        await broker.DriveAsync(1_000, pending);
        var join = await pending;
        await Sync(broker, "active", join.GenerationId, memberId, (memberId, [1]));
        await broker.SendAsync<OffsetCommitResponse>(Commit("active", join.GenerationId, memberId, (GroupBroker.Topic, 0, 5, "")), 8);
        await broker.SendAsync<OffsetCommitResponse>(Commit("idle", -1, "", (GroupBroker.Topic, 0, 1, ""), (GroupBroker.Topic, 1, 2, "")), 8);
        return (broker, memberId);
    }

    [Fact]
    public async Task ListGroupsFiltersByStateAndType()
    {
        var (broker, _) = await TwoGroupsAsync();
        await using var owner = broker;

        var all = await broker.SendAsync<ListGroupsResponse>(new ListGroupsRequest(), 3);
        Assert.Equal((short)ErrorCode.None, all.ErrorCode);
        Assert.Equal(["active", "idle"], all.Groups.Select(g => g.GroupId));
        Assert.Equal(["consumer", ""], all.Groups.Select(g => g.ProtocolType));

        var stable = await broker.SendAsync<ListGroupsResponse>(new ListGroupsRequest { StatesFilter = ["stable"] }, 4);
        Assert.Equal("Stable", Assert.Single(stable.Groups).GroupState);

        var unknownState = await broker.SendAsync<ListGroupsResponse>(new ListGroupsRequest { StatesFilter = ["Sleeping"] }, 4);
        Assert.Empty(unknownState.Groups);

        var classic = await broker.SendAsync<ListGroupsResponse>(new ListGroupsRequest { TypesFilter = ["Classic"] }, 5);
        Assert.All(classic.Groups, g => Assert.Equal("classic", g.GroupType));
        Assert.Equal(2, classic.Groups.Count);
        var consumerType = await broker.SendAsync<ListGroupsResponse>(new ListGroupsRequest { TypesFilter = ["consumer"] }, 5);
        Assert.Empty(consumerType.Groups);
    }

    [Fact]
    public async Task DescribeGroupsReportsUnknownGroupsAsDeadAndOperationsOnRequest()
    {
        var (broker, memberId) = await TwoGroupsAsync();
        await using var owner = broker;
        var response = await broker.SendAsync<DescribeGroupsResponse>(new DescribeGroupsRequest { Groups = ["active", "nope"], IncludeAuthorizedOperations = true }, 5);
        var active = response.Groups[0];
        Assert.Equal("Stable", active.GroupState);
        Assert.Equal(memberId, Assert.Single(active.Members).MemberId);
        Assert.Equal(Subscription(GroupBroker.Topic), active.Members[0].MemberMetadata);
        Assert.Equal((1 << 3) | (1 << 6) | (1 << 8), active.AuthorizedOperations);
        var nope = response.Groups[1];
        Assert.Equal((short)ErrorCode.None, nope.ErrorCode);
        Assert.Equal("Dead", nope.GroupState);
        Assert.Empty(nope.Members);
    }

    [Fact]
    public async Task DeleteGroupsRemovesOnlyEmptyGroupsDurably()
    {
        var (broker, _) = await TwoGroupsAsync();
        await using var owner = broker;
        var response = await broker.SendAsync<DeleteGroupsResponse>(new DeleteGroupsRequest { GroupsNames = ["idle", "active", "nope"] }, 2);
        Assert.Equal(
            [("idle", ErrorCode.None), ("active", ErrorCode.NonEmptyGroup), ("nope", ErrorCode.GroupIdNotFound)],
            response.Results.Select(r => (r.GroupId, (ErrorCode)r.ErrorCode)));

        await broker.RestartAsync();
        var list = await broker.SendAsync<ListGroupsResponse>(new ListGroupsRequest(), 0);
        Assert.Equal(["active"], list.Groups.Select(g => g.GroupId));
        var fetch = await broker.SendAsync<OffsetFetchResponse>(Fetch("idle"), 7);
        Assert.Empty(fetch.Topics);
    }

    [Fact]
    public async Task OffsetDeleteRespectsSubscriptionsAndUnknownPartitions()
    {
        var (broker, _) = await TwoGroupsAsync();
        await using var owner = broker;
        OffsetDeleteRequest Request(string group) => new()
        {
            GroupId = group,
            Topics =
            [
                new OffsetDeleteRequest.OffsetDeleteRequestTopic
                {
                    Name = GroupBroker.Topic,
                    Partitions = [new() { PartitionIndex = 0 }, new() { PartitionIndex = 99 }],
                },
            ],
        };

        // The active consumer group subscribes to the topic: its offsets stay.
        var subscribed = await broker.SendAsync<OffsetDeleteResponse>(Request("active"), 0);
        Assert.Equal((short)ErrorCode.None, subscribed.ErrorCode);
        Assert.Equal(
            [(0, ErrorCode.GroupSubscribedToTopic), (99, ErrorCode.UnknownTopicOrPartition)],
            Assert.Single(subscribed.Topics).Partitions.Select(p => (p.PartitionIndex, (ErrorCode)p.ErrorCode)));

        var idle = await broker.SendAsync<OffsetDeleteResponse>(Request("idle"), 0);
        Assert.Equal([ErrorCode.None, ErrorCode.UnknownTopicOrPartition], Assert.Single(idle.Topics).Partitions.Select(p => (ErrorCode)p.ErrorCode));
        var fetch = await broker.SendAsync<OffsetFetchResponse>(Fetch("idle"), 7);
        Assert.Equal([1], Assert.Single(fetch.Topics).Partitions.Select(p => p.PartitionIndex));

        var missing = await broker.SendAsync<OffsetDeleteResponse>(Request("nope"), 0);
        Assert.Equal((short)ErrorCode.GroupIdNotFound, missing.ErrorCode);
        Assert.Equal([99], Assert.Single(missing.Topics).Partitions.Select(p => p.PartitionIndex));
    }

    [Fact]
    public async Task ExpiredOffsetsOfEmptyGroupsAreTombstoned()
    {
        var config = new Tributary.Broker.Groups.GroupCoordinatorConfig
        {
            OffsetsTopicPartitions = GroupBroker.OffsetsPartitions,
            OffsetsRetentionMs = 60_000,
            OffsetsRetentionCheckIntervalMs = 10_000,
        };
        await using var broker = await GroupBroker.StartAsync(config: config);
        await broker.SendAsync<OffsetCommitResponse>(Commit("short-lived", -1, "", (GroupBroker.Topic, 0, 1, "")), 8);

        broker.Clock.Advance(70_000);
        var partition = broker.Service.PartitionFor("short-lived");
        await OffsetPersistenceTests.WaitUntilAsync(() => broker.Log.Records(Tributary.Broker.Coordination.GroupCoordinatorService.OffsetsTopic, partition).Any(r => r.Value is null));

        await broker.RestartAsync();
        var fetch = await broker.SendAsync<OffsetFetchResponse>(Fetch("short-lived", (GroupBroker.Topic, [0])), 6);
        Assert.Equal(-1, Assert.Single(Assert.Single(fetch.Topics).Partitions).CommittedOffset);
    }
}
