using Tributary.Broker.Tests.Data;
using Tributary.Protocol;
using Tributary.Protocol.Messages;
using Xunit;

namespace Tributary.Broker.Tests.Replication;

/// <summary>
/// Replication between in-process brokers over loopback sockets: followers fetch with the real
/// Fetch path, ISR changes go through AlterPartition to a fake controller that commits them into
/// the shared image.
/// </summary>
public sealed class ReplicationTests
{
    private const string Topic = "events";

    // Long enough that a cold, busy 2-core test run never drops a healthy follower.
    private const long LagMs = 1000;

    [Fact]
    public async Task FollowerCatchesUpAndAcksAllWaitsForIt()
    {
        await using var cluster = await ReplicaCluster.StartAsync(2);
        cluster.CreateTopic(Topic, leader: 1, replicas: [1, 2]);

        for (var i = 0; i < 3; i++)
        {
            var produced = await cluster.ProduceAsync(1, Topic, Wire.Batch(5, valuePrefix: $"b{i}-"), acks: -1);
            Assert.Equal(ErrorCode.None, (ErrorCode)produced.ErrorCode);
            Assert.Equal(i * 5, produced.BaseOffset);
            // acks=all answered: the follower already has the batch.
            Assert.True(cluster[2].Partition(Topic)!.LogEndOffset >= (i + 1) * 5);
        }

        await ReplicaCluster.WaitUntilAsync(() => cluster[2].Partition(Topic)!.HighWatermark == 15, "the follower's high watermark follows the leader's");
        Assert.Equal(cluster[1].LogBytes(Topic), cluster[2].LogBytes(Topic));
        Assert.False(cluster[2].Partition(Topic)!.IsLeader);

        // With the in-sync follower gone, acks=all cannot complete; acks=1 still does.
        await cluster.StopNodeAsync(2);
        var timedOut = await cluster.ProduceAsync(1, Topic, Wire.Batch(1), acks: -1, timeoutMs: 300);
        Assert.Equal(ErrorCode.RequestTimedOut, (ErrorCode)timedOut.ErrorCode);
        Assert.Equal(ErrorCode.None, (ErrorCode)(await cluster.ProduceAsync(1, Topic, Wire.Batch(1), acks: 1)).ErrorCode);
        Assert.Equal(15, cluster[1].Partition(Topic)!.HighWatermark);

        // Back: it fetches the tail and the high watermark moves past it.
        cluster.StartNode(2);
        var after = await cluster.ProduceAsync(1, Topic, Wire.Batch(1), acks: -1);
        Assert.Equal(ErrorCode.None, (ErrorCode)after.ErrorCode);
        Assert.Equal(17, after.BaseOffset);
        await ReplicaCluster.WaitUntilAsync(() => cluster[2].Partition(Topic)!.LogEndOffset == 18, "the follower catches up");
        Assert.Equal(cluster[1].LogBytes(Topic), cluster[2].LogBytes(Topic));
    }

    [Fact]
    public async Task LaggingFollowerLeavesTheIsrAndRejoinsAfterCatchingUp()
    {
        await using var cluster = await ReplicaCluster.StartAsync(2, lagMs: LagMs);
        cluster.CreateTopic(Topic, leader: 1, replicas: [1, 2], configs: new Dictionary<string, string> { ["min.insync.replicas"] = "2" });
        await cluster.WaitForFollowerAsync(Topic, leader: 1, follower: 2);
        Assert.Equal(ErrorCode.None, (ErrorCode)(await cluster.ProduceAsync(1, Topic, Wire.Batch(2), acks: -1)).ErrorCode);

        // A stopped follower that has everything is still caught up (Kafka's rule); new data makes it lag.
        await cluster.StopNodeAsync(2);
        Assert.Equal(ErrorCode.None, (ErrorCode)(await cluster.ProduceAsync(1, Topic, Wire.Batch(1), acks: 1)).ErrorCode);
        // The fake controller commits into the image before its answer reaches the leader, which
        // then adopts the ISR and counts the shrink: wait for all three.
        await ReplicaCluster.WaitUntilAsync(
            () => cluster.PartitionImage(Topic).Isr.SequenceEqual([1]) && cluster[1].Partition(Topic)!.Leadership.Isr.SequenceEqual([1]) && cluster[1].Metrics.IsrShrinks.Value >= 1,
            "the leader shrinks the ISR through AlterPartition");

        var rejected = await cluster.ProduceAsync(1, Topic, Wire.Batch(1), acks: -1);
        Assert.Equal(ErrorCode.NotEnoughReplicas, (ErrorCode)rejected.ErrorCode);
        Assert.Equal(3, cluster[1].Partition(Topic)!.LogEndOffset); // rejected before the append
        Assert.Equal(ErrorCode.None, (ErrorCode)(await cluster.ProduceAsync(1, Topic, Wire.Batch(3), acks: 1)).ErrorCode);

        cluster.StartNode(2);
        await ReplicaCluster.WaitUntilAsync(
            () => cluster.PartitionImage(Topic).Isr.Order().SequenceEqual([1, 2]) && cluster[1].Partition(Topic)!.Leadership.Isr.Order().SequenceEqual([1, 2]) && cluster[1].Metrics.IsrExpands.Value >= 1,
            "the caught-up follower rejoins the ISR");
        var accepted = await cluster.ProduceAsync(1, Topic, Wire.Batch(1), acks: -1);
        Assert.Equal(ErrorCode.None, (ErrorCode)accepted.ErrorCode);
        Assert.Equal(6, accepted.BaseOffset);
        await ReplicaCluster.WaitUntilAsync(() => cluster[2].Partition(Topic)!.LogEndOffset == 7, "the follower has everything");
        Assert.Equal(cluster[1].LogBytes(Topic), cluster[2].LogBytes(Topic));
    }

    [Fact]
    public async Task LeaderThatLostItsEpochBeforeAnyWriteFollowsAgain()
    {
        await using var cluster = await ReplicaCluster.StartAsync(2);
        cluster.CreateTopic(Topic, leader: 1, replicas: [1, 2]);
        Assert.Equal(ErrorCode.None, (ErrorCode)(await cluster.ProduceAsync(1, Topic, Wire.Batch(4), acks: -1)).ErrorCode);

        // Broker 2 leads epoch 1 but takes no write (a leader killed right after its election),
        // then broker 1 leads epoch 2: broker 2's cache ends with an epoch that has no records.
        cluster.ElectLeader(Topic, leader: 2, isr: [1, 2]);
        Assert.True(cluster[2].Partition(Topic)!.IsLeader);
        cluster.ElectLeader(Topic, leader: 1, isr: [1, 2]);
        Assert.True(cluster[1].Partition(Topic)!.IsLeader);

        // Broker 1 answers its fetch with "epoch 0 ends at 4", which is broker 2's log end: the
        // empty epoch must go with that truncation, or every later fetch diverges the same way and
        // this acks=all produce waits for a follower that never moves.
        var produced = await cluster.ProduceAsync(1, Topic, Wire.Batch(3), acks: -1);
        Assert.Equal(ErrorCode.None, (ErrorCode)produced.ErrorCode);
        Assert.Equal(4, produced.BaseOffset);
        await ReplicaCluster.WaitUntilAsync(() => cluster[2].Partition(Topic)!.LogEndOffset == 7, "the former leader catches up");
        Assert.Equal(cluster[1].LogBytes(Topic), cluster[2].LogBytes(Topic));
        Assert.Equal(2, cluster[2].Partition(Topic)!.Log.LeaderEpochs.LatestEpoch);
    }

    [Fact]
    public async Task OldLeaderTruncatesItsUncommittedTailAndConverges()
    {
        await using var cluster = await ReplicaCluster.StartAsync(3);
        cluster.CreateTopic(Topic, leader: 1, replicas: [1, 2, 3]);
        Assert.Equal(ErrorCode.None, (ErrorCode)(await cluster.ProduceAsync(1, Topic, Wire.Batch(4, valuePrefix: "committed"), acks: -1)).ErrorCode);
        await ReplicaCluster.WaitUntilAsync(() => cluster[2].Partition(Topic)!.LogEndOffset == 4 && cluster[3].Partition(Topic)!.LogEndOffset == 4, "followers have the committed batch");

        // Followers go away; the leader takes writes nobody else has (acks=1: never committed).
        await cluster.StopNodeAsync(2);
        await cluster.StopNodeAsync(3);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(ErrorCode.None, (ErrorCode)(await cluster.ProduceAsync(1, Topic, Wire.Batch(2, valuePrefix: "lost"), acks: 1)).ErrorCode);
        }

        Assert.Equal(10, cluster[1].Partition(Topic)!.LogEndOffset);
        await cluster.StopNodeAsync(1);

        // Broker 2 becomes leader in epoch 1 and writes different data at the same offsets.
        cluster.StartNode(2);
        cluster.StartNode(3);
        cluster.ElectLeader(Topic, leader: 2, isr: [2, 3]);
        Assert.True(cluster[2].Partition(Topic)!.IsLeader);
        Assert.Equal(ErrorCode.None, (ErrorCode)(await cluster.ProduceAsync(2, Topic, Wire.Batch(3, valuePrefix: "new-leader"), acks: -1)).ErrorCode);

        // The old leader comes back as a follower: the diverging epoch makes it cut its tail.
        cluster.StartNode(1);
        await ReplicaCluster.WaitUntilAsync(() => cluster[1].Partition(Topic)!.LogEndOffset == 7, "the old leader truncates and catches up");
        var leaderLog = cluster[2].LogBytes(Topic);
        Assert.Equal(leaderLog, cluster[1].LogBytes(Topic));
        Assert.Equal(leaderLog, cluster[3].LogBytes(Topic));
        Assert.Equal([(0L, 3L, 4), (4L, 6L, 3)], Wire.Batches(leaderLog));

        // And it keeps following.
        Assert.Equal(ErrorCode.None, (ErrorCode)(await cluster.ProduceAsync(2, Topic, Wire.Batch(1), acks: -1)).ErrorCode);
        await ReplicaCluster.WaitUntilAsync(() => cluster[1].Partition(Topic)!.LogEndOffset == 8, "replication continues after truncation");
        Assert.Equal(cluster[2].LogBytes(Topic), cluster[1].LogBytes(Topic));
    }

    [Fact]
    public async Task EmptyFollowerReReplicatesEverythingAndRejoinsTheIsr()
    {
        await using var cluster = await ReplicaCluster.StartAsync(2, lagMs: LagMs);
        cluster.CreateTopic(Topic, leader: 1, replicas: [1, 2], configs: new Dictionary<string, string> { ["segment.bytes"] = "4096" });
        await cluster.WaitForFollowerAsync(Topic, leader: 1, follower: 2);
        for (var i = 0; i < 19; i++)
        {
            Assert.Equal(ErrorCode.None, (ErrorCode)(await cluster.ProduceAsync(1, Topic, Wire.Batch(3, valueSize: 100), acks: -1)).ErrorCode);
        }

        await cluster.StopNodeAsync(2);
        Assert.Equal(ErrorCode.None, (ErrorCode)(await cluster.ProduceAsync(1, Topic, Wire.Batch(3, valueSize: 100), acks: 1)).ErrorCode);
        await ReplicaCluster.WaitUntilAsync(() => cluster.PartitionImage(Topic).Isr.SequenceEqual([1]), "ISR shrinks");
        cluster.StartNode(2, wipe: true);
        await ReplicaCluster.WaitUntilAsync(() => cluster.PartitionImage(Topic).Isr.Count == 2, "the empty follower rejoins the ISR");
        await ReplicaCluster.WaitUntilAsync(() => cluster[2].Partition(Topic)!.LogEndOffset == 60, "everything is re-replicated");
        Assert.Equal(cluster[1].LogBytes(Topic), cluster[2].LogBytes(Topic));
        Assert.True(cluster[2].Partition(Topic)!.Log.SegmentCount > 1, "the copy rolled segments like the original");
    }

    [Fact]
    public async Task RestartedFollowerFetchesOnlyTheTail()
    {
        await using var cluster = await ReplicaCluster.StartAsync(2);
        cluster.CreateTopic(Topic, leader: 1, replicas: [1, 2]);
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(ErrorCode.None, (ErrorCode)(await cluster.ProduceAsync(1, Topic, Wire.Batch(2), acks: -1)).ErrorCode);
        }

        await cluster.StopNodeAsync(2);
        var before = cluster[1].LogBytes(Topic).Length;
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(ErrorCode.None, (ErrorCode)(await cluster.ProduceAsync(1, Topic, Wire.Batch(2), acks: 1)).ErrorCode);
        }

        var tail = cluster[1].LogBytes(Topic).Length - before;
        var sentBefore = cluster[1].Metrics.BytesOut.WithLabels().Value;
        cluster.StartNode(2);
        await ReplicaCluster.WaitUntilAsync(() => cluster[2].Partition(Topic)!.LogEndOffset == 26, "the restarted follower catches up");
        Assert.Equal(tail, cluster[1].Metrics.BytesOut.WithLabels().Value - sentBefore);
        Assert.Equal(cluster[1].LogBytes(Topic), cluster[2].LogBytes(Topic));
    }

    [Fact]
    public async Task IdempotentRetryIsDedupedByTheNewLeader()
    {
        await using var cluster = await ReplicaCluster.StartAsync(2);
        cluster.CreateTopic(Topic, leader: 1, replicas: [1, 2]);
        var first = Wire.Batch(3, producerId: 77, producerEpoch: 0, baseSequence: 0);
        var second = Wire.Batch(2, producerId: 77, producerEpoch: 0, baseSequence: 3);
        Assert.Equal(0, (await cluster.ProduceAsync(1, Topic, (byte[])first.Clone(), acks: -1)).BaseOffset);
        Assert.Equal(3, (await cluster.ProduceAsync(1, Topic, (byte[])second.Clone(), acks: -1)).BaseOffset);

        // Failover: the follower leads; the producer retries the batch whose answer it lost.
        cluster.ElectLeader(Topic, leader: 2);
        var retried = await cluster.ProduceAsync(2, Topic, (byte[])second.Clone(), acks: -1);
        Assert.Equal(ErrorCode.None, (ErrorCode)retried.ErrorCode);
        Assert.Equal(3, retried.BaseOffset);
        Assert.Equal(5, cluster[2].Partition(Topic)!.LogEndOffset);

        var next = await cluster.ProduceAsync(2, Topic, Wire.Batch(1, producerId: 77, producerEpoch: 0, baseSequence: 5), acks: -1);
        Assert.Equal(ErrorCode.None, (ErrorCode)next.ErrorCode);
        Assert.Equal(5, next.BaseOffset);
        var gap = await cluster.ProduceAsync(2, Topic, Wire.Batch(1, producerId: 77, producerEpoch: 0, baseSequence: 9), acks: -1);
        Assert.Equal(ErrorCode.OutOfOrderSequenceNumber, (ErrorCode)gap.ErrorCode);
        await ReplicaCluster.WaitUntilAsync(() => cluster[1].Partition(Topic)!.LogEndOffset == 6, "the old leader follows the new one");
        Assert.Equal(cluster[2].LogBytes(Topic), cluster[1].LogBytes(Topic));
    }

    [Fact]
    public async Task FollowersAnswerNotLeaderAndOffsetForLeaderEpochReportsEpochEnds()
    {
        await using var cluster = await ReplicaCluster.StartAsync(2);
        cluster.CreateTopic(Topic, leader: 1, replicas: [1, 2]);
        Assert.Equal(ErrorCode.None, (ErrorCode)(await cluster.ProduceAsync(1, Topic, Wire.Batch(4), acks: -1)).ErrorCode);
        cluster.ElectLeader(Topic, leader: 2);
        Assert.Equal(ErrorCode.None, (ErrorCode)(await cluster.ProduceAsync(2, Topic, Wire.Batch(2), acks: -1)).ErrorCode);

        var onFollower = await cluster.ProduceAsync(1, Topic, Wire.Batch(1), acks: 1);
        Assert.Equal(ErrorCode.NotLeaderOrFollower, (ErrorCode)onFollower.ErrorCode);

        await using var connection = await cluster.ConnectAsync(2);
        var fetch = (FetchResponse)await connection.SendAsync(Wire.Fetch(Topic, 0, 0), 12, TimeSpan.FromSeconds(10), CancellationToken.None);
        Assert.Equal(ErrorCode.None, (ErrorCode)fetch.Single().ErrorCode);
        await using var toFollower = await cluster.ConnectAsync(1);
        fetch = (FetchResponse)await toFollower.SendAsync(Wire.Fetch(Topic, 0, 0), 12, TimeSpan.FromSeconds(10), CancellationToken.None);
        Assert.Equal(ErrorCode.NotLeaderOrFollower, (ErrorCode)fetch.Single().ErrorCode);
        Assert.Equal(2, fetch.Single().CurrentLeader.LeaderId);

        var request = new OffsetForLeaderEpochRequest
        {
            ReplicaId = -1,
            Topics =
            [
                new OffsetForLeaderEpochRequest.OffsetForLeaderTopic
                {
                    Topic = Topic,
                    Partitions =
                    [
                        new OffsetForLeaderEpochRequest.OffsetForLeaderPartition { Partition = 0, CurrentLeaderEpoch = 1, LeaderEpoch = 0 },
                        new OffsetForLeaderEpochRequest.OffsetForLeaderPartition { Partition = 0, CurrentLeaderEpoch = 1, LeaderEpoch = 1 },
                        new OffsetForLeaderEpochRequest.OffsetForLeaderPartition { Partition = 0, CurrentLeaderEpoch = 0, LeaderEpoch = 0 },
                    ],
                },
            ],
        };
        var answer = (OffsetForLeaderEpochResponse)await connection.SendAsync(request, 4, TimeSpan.FromSeconds(10), CancellationToken.None);
        var partitions = Assert.Single(answer.Topics).Partitions;
        Assert.Equal((0, 4L), (partitions[0].LeaderEpoch, partitions[0].EndOffset));
        Assert.Equal((1, 6L), (partitions[1].LeaderEpoch, partitions[1].EndOffset));
        Assert.Equal(ErrorCode.FencedLeaderEpoch, (ErrorCode)partitions[2].ErrorCode);
        var fromFollower = (OffsetForLeaderEpochResponse)await toFollower.SendAsync(request, 4, TimeSpan.FromSeconds(10), CancellationToken.None);
        Assert.Equal(ErrorCode.NotLeaderOrFollower, (ErrorCode)Assert.Single(fromFollower.Topics).Partitions[0].ErrorCode);
    }

    [Fact]
    public async Task FollowerBelowTheLeadersLogStartRestartsThereAndFollowsLogStartMoves()
    {
        await using var cluster = await ReplicaCluster.StartAsync(2);
        cluster.CreateTopic(Topic, leader: 1, replicas: [1, 2]);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(ErrorCode.None, (ErrorCode)(await cluster.ProduceAsync(1, Topic, Wire.Batch(2), acks: -1)).ErrorCode);
        }

        // A running follower drops what the leader deleted (up to its own high watermark).
        await ReplicaCluster.WaitUntilAsync(() => cluster[2].Partition(Topic)!.HighWatermark == 6, "the follower knows the high watermark");
        Assert.Equal((ErrorCode.None, 2L), cluster[1].Partition(Topic)!.DeleteRecordsBefore(2));
        Assert.Equal(ErrorCode.None, (ErrorCode)(await cluster.ProduceAsync(1, Topic, Wire.Batch(1), acks: -1)).ErrorCode);
        await ReplicaCluster.WaitUntilAsync(() => cluster[2].Partition(Topic)!.LogStartOffset == 2, "the follower's log start follows the leader's");

        // An empty follower below the leader's log start restarts its log there.
        await cluster.StopNodeAsync(2);
        Assert.Equal((ErrorCode.None, 7L), cluster[1].Partition(Topic)!.DeleteRecordsBefore(-1));
        Assert.Equal(ErrorCode.None, (ErrorCode)(await cluster.ProduceAsync(1, Topic, Wire.Batch(2), acks: 1)).ErrorCode);
        cluster.StartNode(2, wipe: true);
        await ReplicaCluster.WaitUntilAsync(() => cluster[2].Partition(Topic)!.LogEndOffset == 9, "the follower restarts at the leader's log start and catches up");
        Assert.Equal(7, cluster[2].Partition(Topic)!.LogStartOffset);
        Assert.Equal(cluster[1].LogBytes(Topic), cluster[2].LogBytes(Topic));
    }

    [Fact]
    public async Task ReassignmentThrottleHoldsBackAnOutOfSyncFollowerUntilLifted()
    {
        await using var cluster = await ReplicaCluster.StartAsync(2);
        cluster.CreateTopic(Topic, leader: 1, replicas: [1], configs: new Dictionary<string, string> { ["leader.replication.throttled.replicas"] = "0:1" });
        // More than one replica read (64 KiB in these tests) can carry.
        await using (var producer = await cluster.ConnectAsync(1))
        {
            for (var i = 0; i < 40; i++)
            {
                Assert.Equal(ErrorCode.None, (ErrorCode)(await ReplicaCluster.ProduceAsync(producer, Topic, Wire.Batch(2, valueSize: 1000), acks: -1)).ErrorCode);
            }
        }

        // One byte per second: the new replica gets one read's worth, then nothing while throttled.
        cluster.SetBrokerConfig("leader.replication.throttled.rate", "1");
        cluster.UpdatePartition(Topic, p => p with { Replicas = [1, 2], PartitionEpoch = p.PartitionEpoch + 1 });
        await ReplicaCluster.WaitUntilAsync(() => cluster[2].Partition(Topic)?.LogEndOffset > 0, "the new replica starts fetching");
        var held = cluster[2].Partition(Topic)!.LogEndOffset;
        await Task.Delay(600);
        Assert.Equal(held, cluster[2].Partition(Topic)!.LogEndOffset);
        Assert.True(held < 80);

        cluster.SetBrokerConfig("leader.replication.throttled.rate", "1000000000");
        await ReplicaCluster.WaitUntilAsync(() => cluster[2].Partition(Topic)!.LogEndOffset == 80, "the throttle lifted, it catches up");
        await ReplicaCluster.WaitUntilAsync(() => cluster.PartitionImage(Topic).Isr.Count == 2, "and joins the ISR");
        Assert.Equal(cluster[1].LogBytes(Topic), cluster[2].LogBytes(Topic));
    }
}
