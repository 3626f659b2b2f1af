using Tributary.Protocol;
using Tributary.Protocol.Messages;
using Xunit;
using static Tributary.Broker.Tests.GroupHandlers.GroupClient;

namespace Tributary.Broker.Tests.GroupHandlers;

public sealed class GroupErrorCaseTests
{
    private const string Group = "error-group";

    private static async Task<(GroupBroker Broker, string MemberId, int Generation)> StableGroupAsync()
    {
        var broker = await GroupBroker.StartAsync();
        var (pending, memberId) = await StartJoinAsync(broker, Group);
        await broker.DriveAsync(1_000, pending);
        var join = await pending;
        Assert.Equal((short)ErrorCode.None, (await Sync(broker, Group, join.GenerationId, memberId, (memberId, [9]))).ErrorCode);
        return (broker, memberId, join.GenerationId);
    }

    [Fact]
    public async Task UnknownMemberAndIllegalGeneration()
    {
        var (broker, memberId, generation) = await StableGroupAsync();
        await using var owner = broker;
        Assert.Equal(ErrorCode.UnknownMemberId, await Heartbeat(broker, Group, generation, "ghost"));
        Assert.Equal(ErrorCode.IllegalGeneration, await Heartbeat(broker, Group, generation + 1, memberId));
        Assert.Equal((short)ErrorCode.UnknownMemberId, (await Sync(broker, Group, generation, "ghost")).ErrorCode);
        Assert.Equal((short)ErrorCode.IllegalGeneration, (await Sync(broker, Group, generation - 1, memberId)).ErrorCode);
        var join = await broker.SendAsync<JoinGroupResponse>(Join(Group, "ghost"), 5);
        Assert.Equal((short)ErrorCode.UnknownMemberId, join.ErrorCode);
        Assert.Equal(ErrorCode.UnknownMemberId, await Heartbeat(broker, "no-such-group", 1, memberId));
    }

    [Fact]
    public async Task SyncDuringRebalanceIsRejected()
    {
        var (broker, memberId, generation) = await StableGroupAsync();
        await using var owner = broker;
        var second = await StartJoinAsync(broker, Group);
        await Task.Delay(50);
        Assert.Equal(ErrorCode.RebalanceInProgress, await Heartbeat(broker, Group, generation, memberId));
        Assert.Equal((short)ErrorCode.RebalanceInProgress, (await Sync(broker, Group, generation, memberId)).ErrorCode);

        // The member rejoins, which completes the phase for both.
        var rejoin = await broker.SendAsync<JoinGroupResponse>(Join(Group, memberId), 5).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(generation + 1, rejoin.GenerationId);
        Assert.Equal(generation + 1, (await second.Pending.WaitAsync(TimeSpan.FromSeconds(10))).GenerationId);
    }

    [Fact]
    public async Task EmptyGroupIdIsInvalidForMembershipApis()
    {
        await using var broker = await GroupBroker.StartAsync();
        Assert.Equal((short)ErrorCode.InvalidGroupId, (await broker.SendAsync<JoinGroupResponse>(Join(""), 5)).ErrorCode);
        Assert.Equal((short)ErrorCode.InvalidGroupId, (await Sync(broker, "", 1, "m")).ErrorCode);
        Assert.Equal(ErrorCode.InvalidGroupId, await Heartbeat(broker, "", 1, "m"));
        Assert.Equal((short)ErrorCode.InvalidGroupId, (await broker.SendAsync<LeaveGroupResponse>(new LeaveGroupRequest { GroupId = "", MemberId = "m" }, 1)).ErrorCode);
        var offsetDelete = await broker.SendAsync<OffsetDeleteResponse>(new OffsetDeleteRequest { GroupId = "" }, 0);
        Assert.Equal((short)ErrorCode.InvalidGroupId, offsetDelete.ErrorCode);

        // Offset APIs accept the empty group id, as Kafka's classic coordinator does.
        var commit = await broker.SendAsync<OffsetCommitResponse>(Commit("", -1, "", (GroupBroker.Topic, 0, 3, "")), 8);
        Assert.Equal(ErrorCode.None, Assert.Single(Errors(commit)).Error);
    }

    [Fact]
    public async Task GroupsLedElsewhereGetNotCoordinator()
    {
        var image = TestMetadataView.Image(GroupBroker.OffsetsPartitions, 2, (GroupBroker.Topic, 3));
        await using var broker = await GroupBroker.StartAsync(image);
        Assert.Equal((short)ErrorCode.NotCoordinator, (await broker.SendAsync<JoinGroupResponse>(Join(Group), 5)).ErrorCode);
        Assert.Equal(ErrorCode.NotCoordinator, await Heartbeat(broker, Group, 1, "m"));
        Assert.Equal((short)ErrorCode.NotCoordinator, (await Sync(broker, Group, 1, "m")).ErrorCode);
        var commit = await broker.SendAsync<OffsetCommitResponse>(Commit(Group, -1, "", (GroupBroker.Topic, 0, 3, "")), 8);
        Assert.Equal(ErrorCode.NotCoordinator, Assert.Single(Errors(commit)).Error);

        // OffsetFetch v1 has no group-level error: it is repeated on each partition.
        var fetch = await broker.SendAsync<OffsetFetchResponse>(Fetch(Group, (GroupBroker.Topic, [0, 1])), 1);
        Assert.All(Assert.Single(fetch.Topics).Partitions, p =>
        {
            Assert.Equal((short)ErrorCode.NotCoordinator, p.ErrorCode);
            Assert.Equal(-1, p.CommittedOffset);
        });

        var describe = Assert.Single((await broker.SendAsync<DescribeGroupsResponse>(new DescribeGroupsRequest { Groups = [Group] }, 1)).Groups);
        Assert.Equal((short)ErrorCode.NotCoordinator, describe.ErrorCode);
        Assert.Equal("", describe.GroupState);
        var delete = Assert.Single((await broker.SendAsync<DeleteGroupsResponse>(new DeleteGroupsRequest { GroupsNames = [Group] }, 2)).Results);
        Assert.Equal((short)ErrorCode.NotCoordinator, delete.ErrorCode);
    }

    [Fact]
    public async Task SessionTimeoutOutsideTheBrokerLimitsIsRejected()
    {
        await using var broker = await GroupBroker.StartAsync();
        var join = await broker.SendAsync<JoinGroupResponse>(Join(Group, sessionMs: 1_000), 5);
        Assert.Equal((short)ErrorCode.InvalidSessionTimeout, join.ErrorCode);
    }

    [Fact]
    public async Task InconsistentProtocolIsRejected()
    {
        var (broker, _, _) = await StableGroupAsync();
        await using var owner = broker;
        var request = Join(Group);
        request.ProtocolType = "connect";
        var join = await broker.SendAsync<JoinGroupResponse>(request, 5);
        Assert.Equal((short)ErrorCode.InconsistentGroupProtocol, join.ErrorCode);
    }
}
