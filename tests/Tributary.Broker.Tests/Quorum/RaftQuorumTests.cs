using Tributary.Broker.Metadata;
using Tributary.Broker.Quorum;
using Tributary.Broker.Raft;
using Tributary.Client.Network;
using Tributary.Protocol.Messages;
using Tributary.Protocol.Metadata;
using Xunit;

namespace Tributary.Broker.Tests.Quorum;

/// <summary>Three (or four) in-process quorum members over real loopback sockets.</summary>
public sealed class RaftQuorumTests
{
    [Fact]
    public async Task Three_voters_elect_a_leader_and_agree_on_committed_records()
    {
        await using var cluster = QuorumTestCluster.Start();
        var leader = await cluster.WaitForActiveAsync();

        var names = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            names.Add(await cluster.CommitTopicAsync(leader));
        }

        await cluster.WaitForConvergenceAsync(leader);
        foreach (var node in cluster.Running)
        {
            Assert.All(names, n => Assert.NotNull(node.Store.Current.Topic(n)));
            Assert.Equal(leader.Id, node.Store.Current.ControllerId);
            Assert.Equal(leader.Id, node.Store.LeaderId);
        }

        // The records are in the replicated log, so a fresh replay agrees with the published image.
        Assert.Equal(5, leader.Store.Current.Topics.Count);
    }

    [Fact]
    public async Task Commits_are_planned_on_the_uncommitted_image_and_keep_their_order()
    {
        await using var cluster = QuorumTestCluster.Start();
        var leader = await cluster.WaitForActiveAsync();
        var id = Guid.NewGuid();

        // Issued together: the second is validated against the first before the first commits.
        var create = leader.Store.CommitAsync([new TopicRecord { Name = "t", TopicId = id }], CancellationToken.None).AsTask();
        var partition = leader.Store.CommitAsync(
            [new PartitionRecord { TopicId = id, PartitionId = 0, Replicas = [1], Isr = [1], Leader = 1, LeaderEpoch = 0, PartitionEpoch = 0 }],
            CancellationToken.None).AsTask();
        var first = await create;
        var second = await partition;

        // Each returned image includes its own records (and possibly later ones).
        Assert.NotNull(first.Topic("t"));
        Assert.NotNull(second.Partition("t", 0));
        Assert.True(second.Offset >= first.Offset);

        // A record that does not apply to the uncommitted image is refused before anything is appended.
        var end = leader.Store.Driver.Status.LogEndOffset;
        await Assert.ThrowsAsync<MetadataReplayException>(async () =>
            await leader.Store.CommitAsync([new TopicRecord { Name = "t", TopicId = Guid.NewGuid() }], CancellationToken.None));
        Assert.Equal(end, leader.Store.Driver.Status.LogEndOffset);
    }

    [Fact]
    public async Task A_follower_refuses_commits_naming_the_leader()
    {
        await using var cluster = QuorumTestCluster.Start();
        var leader = await cluster.WaitForActiveAsync();
        var follower = cluster.Running.First(n => n.Id != leader.Id);

        var error = await Assert.ThrowsAsync<NotControllerException>(async () =>
            await follower.Store.CommitAsync([new TopicRecord { Name = "x", TopicId = Guid.NewGuid() }], CancellationToken.None));

        Assert.Equal(leader.Id, error.KnownLeaderId);
        Assert.False(follower.Store.IsActiveController);
    }

    [Fact]
    public async Task Losing_the_leader_elects_another_and_the_old_one_catches_up_after_a_restart()
    {
        await using var cluster = QuorumTestCluster.Start();
        var first = await cluster.WaitForActiveAsync();
        await cluster.CommitTopicAsync(first);
        var firstEpoch = first.Store.LeaderEpoch;

        await first.StopAsync(resign: false); // a crash: the others find out by their fetch timeout
        var second = await cluster.WaitForActiveAsync();
        Assert.NotEqual(first.Id, second.Id);
        Assert.True(second.Store.LeaderEpoch > firstEpoch);

        // A minority lost: commits go on.
        var during = await cluster.CommitTopicAsync(second);
        await cluster.WaitForConvergenceAsync(second);

        first.Restart();
        await cluster.WaitForConvergenceAsync(second);
        Assert.NotNull(first.Store.Current.Topic(during));
        Assert.Equal(second.Id, first.Store.LeaderId);
    }

    [Fact]
    public async Task A_resigning_leader_hands_over_quickly()
    {
        await using var cluster = QuorumTestCluster.Start();
        var first = await cluster.WaitForActiveAsync();
        await cluster.CommitTopicAsync(first);

        await first.StopAsync(resign: true);
        var second = await cluster.WaitForActiveAsync();

        await cluster.CommitTopicAsync(second);
        await cluster.WaitForConvergenceAsync(second);
    }

    [Fact]
    public async Task A_node_behind_the_log_start_receives_a_snapshot()
    {
        await using var cluster = QuorumTestCluster.Start(snapshotBytes: 512);
        var leader = await cluster.WaitForActiveAsync();
        var lagging = cluster.Running.First(n => n.Id != leader.Id);
        await cluster.CommitTopicAsync(leader);
        await cluster.WaitForConvergenceAsync(leader);
        await lagging.StopAsync();

        for (var i = 0; i < 20; i++)
        {
            await cluster.CommitTopicAsync(leader);
        }

        // The leader snapshotted and trimmed its log past everything the lagging node has.
        await QuorumTestCluster.WaitUntilAsync(() => leader.Store.Driver.Status.HighWatermark > 0
            && LatestSnapshot(leader) is { EndOffset: > 10 }, "a snapshot on the leader");

        lagging.Restart();
        await cluster.WaitForConvergenceAsync(leader);
        Assert.Equal(21, lagging.Store.Current.Topics.Count);
        Assert.NotNull(LatestSnapshot(lagging));
    }

    [Fact]
    public async Task A_restarted_voter_loads_its_snapshot_and_log_tail()
    {
        await using var cluster = QuorumTestCluster.Start(snapshotBytes: 512);
        var leader = await cluster.WaitForActiveAsync();
        for (var i = 0; i < 12; i++)
        {
            await cluster.CommitTopicAsync(leader);
        }

        await cluster.WaitForConvergenceAsync(leader);
        var follower = cluster.Running.First(n => n.Id != leader.Id);
        await QuorumTestCluster.WaitUntilAsync(() => LatestSnapshot(follower) is not null, "a snapshot on the follower");
        var before = follower.Store.Current;

        await follower.StopAsync();
        follower.Restart();

        await cluster.WaitForConvergenceAsync(leader);
        ImageJson.AssertEqual(before with { ControllerId = 0 }, follower.Store.Current with { ControllerId = 0, Offset = before.Offset });
    }

    [Fact]
    public async Task A_broker_only_observer_follows_the_log()
    {
        await using var cluster = QuorumTestCluster.Start(voters: 3, observers: 1);
        var leader = await cluster.WaitForActiveAsync();
        var observer = cluster.Nodes[4];
        await cluster.CommitTopicAsync(leader);
        await cluster.CommitTopicAsync(leader);

        await cluster.WaitForConvergenceAsync(leader);
        Assert.False(observer.Store.IsActiveController);
        Assert.Equal(RaftRole.Follower, observer.Store.Driver.Status.Role);
        Assert.Equal(2, observer.Store.Current.Topics.Count);

        // The leader lists it as an observer (ReplicaId = its node id) in DescribeQuorum.
        var describe = await Describe(leader);
        var partition = describe.Topics[0].Partitions[0];
        Assert.Equal(0, partition.ErrorCode);
        Assert.Equal(leader.Id, partition.LeaderId);
        Assert.Equal([1, 2, 3], partition.CurrentVoters.Select(v => v.ReplicaId).Order());
        Assert.Contains(partition.Observers, o => o.ReplicaId == 4);
        Assert.All(partition.CurrentVoters, v => Assert.True(v.LastFetchTimestamp > 1_600_000_000_000, "wall-clock timestamps"));
        Assert.Equal(3, describe.Nodes.Count);
    }

    [Fact]
    public async Task Uncommitted_records_of_a_deposed_leader_are_truncated_and_never_applied()
    {
        await using var cluster = QuorumTestCluster.Start();
        var old = await cluster.WaitForActiveAsync();
        await cluster.CommitTopicAsync(old);
        await cluster.WaitForConvergenceAsync(old);
        var others = cluster.Running.Where(n => n.Id != old.Id).ToList();
        foreach (var node in others)
        {
            await node.StopAsync();
        }

        // Alone, the leader appends but cannot commit; it then resigns (check quorum) and the commit fails.
        var lost = old.Store.CommitAsync([new TopicRecord { Name = "lost", TopicId = Guid.NewGuid() }], CancellationToken.None).AsTask();
        await QuorumTestCluster.WaitUntilAsync(() => old.Store.Driver.Status.LogEndOffset > old.Store.Driver.Status.HighWatermark, "an uncommitted append");
        await old.StopAsync();
        await Assert.ThrowsAsync<NotControllerException>(() => lost);

        foreach (var node in others)
        {
            node.Restart();
        }

        var leader = await cluster.WaitForActiveAsync();
        var kept = await cluster.CommitTopicAsync(leader);
        await cluster.CommitTopicAsync(leader);

        old.Restart();
        await cluster.WaitForConvergenceAsync(leader);
        Assert.Null(old.Store.Current.Topic("lost"));
        Assert.NotNull(old.Store.Current.Topic(kept));
        Assert.Equal(leader.Store.Driver.Status.LogEndOffset, old.Store.Driver.Status.LogEndOffset);
    }

    private static RaftSnapshotId? LatestSnapshot(QuorumTestNode node)
    {
        var directory = Path.Combine(node.Config.LogDirs[0], "__cluster_metadata-0");
        var files = Directory.GetFiles(directory, "*.checkpoint");
        return files.Length == 0 ? null : new RaftSnapshotId(long.Parse(Path.GetFileName(files[^1]).Split('-')[0], System.Globalization.CultureInfo.InvariantCulture), 0);
    }

    private static async Task<DescribeQuorumResponse> Describe(QuorumTestNode node)
    {
        var port = node.Config.Listeners[0].Port;
        await using var connection = await KafkaConnection.ConnectAsync(new Tributary.Client.Network.BrokerEndpoint("127.0.0.1", port), new Tributary.Client.ClientOptions(), CancellationToken.None);
        var request = new DescribeQuorumRequest
        {
            Topics = [new DescribeQuorumRequest.TopicData { TopicName = "__cluster_metadata", Partitions = [new DescribeQuorumRequest.PartitionData { PartitionIndex = 0 }] }],
        };
        return (DescribeQuorumResponse)await connection.SendAsync(request, 2, TimeSpan.FromSeconds(5), CancellationToken.None);
    }
}
