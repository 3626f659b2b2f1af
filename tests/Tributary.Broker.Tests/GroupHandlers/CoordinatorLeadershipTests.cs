using Tributary.Broker.Coordination;
using Tributary.Protocol;
using Tributary.Protocol.Messages;
using Xunit;
using static Tributary.Broker.Tests.GroupHandlers.GroupClient;

namespace Tributary.Broker.Tests.GroupHandlers;

public sealed class CoordinatorLeadershipTests
{
    private const string Group = "moving-group";

    [Fact]
    public async Task LoadsWhileLeaderAndAnswersLoadInProgressMeanwhile()
    {
        var log = new MemoryTopicLog { ReadGate = new ManualResetEventSlim(false) };
        await using var broker = await GroupBroker.StartAsync(log: log, waitForLoad: false);
        var partition = broker.Service.PartitionFor(Group);
        Assert.Equal(CoordinatorPartitionState.Loading, broker.Service.StateOf(partition));

        Assert.Equal(ErrorCode.CoordinatorLoadInProgress, await Heartbeat(broker, Group, 1, "m"));
        var commit = await broker.SendAsync<OffsetCommitResponse>(Commit(Group, -1, "", (GroupBroker.Topic, 0, 1, "")), 8);
        Assert.Equal(ErrorCode.CoordinatorLoadInProgress, Assert.Single(Errors(commit)).Error);
        var list = await broker.SendAsync<ListGroupsResponse>(new ListGroupsRequest(), 3);
        Assert.Equal((short)ErrorCode.CoordinatorLoadInProgress, list.ErrorCode);

        log.ReadGate.Set();
        await broker.WaitForLoadsAsync();
        Assert.Equal(CoordinatorPartitionState.Active, broker.Service.StateOf(partition));
        Assert.Equal(ErrorCode.UnknownMemberId, await Heartbeat(broker, Group, 1, "m"));
    }

    [Fact]
    public async Task LosingLeadershipUnloadsAndAnswersParkedJoinsNotCoordinator()
    {
        await using var broker = await GroupBroker.StartAsync();
        var partition = broker.Service.PartitionFor(Group);
        await broker.SendAsync<OffsetCommitResponse>(Commit(Group, -1, "", (GroupBroker.Topic, 0, 33, "")), 8);
        var (pending, memberId) = await StartJoinAsync(broker, Group);
        await Task.Delay(50);
        Assert.False(pending.IsCompleted);

        // Another broker becomes leader of the group's partition.
        var moved = TestMetadataView.WithOffsetsLeader(broker.Metadata.Current, partition, 2);
        broker.Metadata.Publish(moved);

        var join = await pending.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal((short)ErrorCode.NotCoordinator, join.ErrorCode);
        await OffsetPersistenceTests.WaitUntilAsync(() => broker.Service.StateOf(partition) == CoordinatorPartitionState.NotOwned);
        Assert.Equal(ErrorCode.NotCoordinator, await Heartbeat(broker, Group, 1, memberId));
        var fetch = await broker.SendAsync<OffsetFetchResponse>(Fetch(Group, (GroupBroker.Topic, [0])), 6);
        Assert.Equal((short)ErrorCode.NotCoordinator, fetch.ErrorCode);

        // FindCoordinator now points at broker 2.
        var find = await broker.SendAsync<FindCoordinatorResponse>(new FindCoordinatorRequest { Key = Group }, 3);
        Assert.Equal((short)ErrorCode.None, find.ErrorCode);
        Assert.Equal(2, find.NodeId);
        Assert.Equal("127.0.0.2", find.Host);

        // Leadership comes back: the partition is loaded again from the log, offsets included.
        broker.Metadata.Publish(TestMetadataView.WithOffsetsLeader(moved, partition, GroupBroker.NodeId));
        await OffsetPersistenceTests.WaitUntilAsync(() => broker.Service.StateOf(partition) == CoordinatorPartitionState.Active);
        var again = await broker.SendAsync<OffsetFetchResponse>(Fetch(Group, (GroupBroker.Topic, [0])), 6);
        Assert.Equal(33, Assert.Single(Assert.Single(again.Topics).Partitions).CommittedOffset);
    }

    [Fact]
    public async Task OnlyPartitionsLedHereAreLoaded()
    {
        var image = TestMetadataView.Image(GroupBroker.OffsetsPartitions, 2, (GroupBroker.Topic, 3));
        image = TestMetadataView.WithOffsetsLeader(image, 1, GroupBroker.NodeId);
        await using var broker = await GroupBroker.StartAsync(image);
        Assert.Equal(CoordinatorPartitionState.NotOwned, broker.Service.StateOf(0));
        Assert.Equal(CoordinatorPartitionState.Active, broker.Service.StateOf(1));
        Assert.Equal(CoordinatorPartitionState.NotOwned, broker.Service.StateOf(2));
    }

    [Fact]
    public async Task StoppingTheServiceAnswersParkedJoins()
    {
        var broker = await GroupBroker.StartAsync();
        var (pending, _) = await StartJoinAsync(broker, Group);
        await broker.DisposeAsync();
        Assert.Equal((short)ErrorCode.NotCoordinator, (await pending.WaitAsync(TimeSpan.FromSeconds(10))).ErrorCode);
    }
}
