using Tributary.Broker.Raft;
using Tributary.Protocol.Messages;
using Xunit;

namespace Tributary.Broker.Tests.Raft;

/// <summary>Scenario tests on the deterministic cluster simulator (fixed seeds).</summary>
public class RaftClusterTests
{
    private static RaftNode ElectLeader(RaftSimulator sim)
    {
        Assert.True(sim.RunUntil(() => sim.Leader is not null), "no leader elected");
        return sim.Leader!;
    }

    private static int[] FollowersOf(RaftSimulator sim, int leader) => sim.Voters.Where(v => v != leader).ToArray();

    [Fact]
    public void SingleVoterElectsItselfAndCommitsImmediately()
    {
        var sim = new RaftSimulator(1, [1]);
        sim.Step();
        var node = sim.Node(1);
        Assert.Equal(RaftRole.Leader, node.Role);
        Assert.Equal(1, node.Epoch);
        Assert.Equal(1, node.HighWatermark); // the LeaderChange record

        var result = sim.Append(1, "a", "b");
        Assert.Equal(1, result.BaseOffset);
        Assert.Equal(2, result.LastOffset);
        Assert.Equal(3, result.Output.HighWatermark);
        Assert.Equal(3, node.HighWatermark);
    }

    [Fact]
    public void SingleVoterRestartResignsThenLeadsANewEpoch()
    {
        var sim = new RaftSimulator(2, [1]);
        sim.Step();
        sim.Append(1, "a");
        sim.Crash(1);
        sim.Restart(1);
        Assert.Equal(RaftRole.Resigned, sim.Node(1).Role);
        Assert.True(sim.RunUntil(() => sim.Node(1).Role == RaftRole.Leader, 100));
        Assert.Equal(2, sim.Node(1).Epoch);
        Assert.Equal(3, sim.Node(1).HighWatermark); // LeaderChange(1), "a", LeaderChange(2)
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void ThreeVotersElectExactlyOneLeaderWhichEveryoneFollows(int seed)
    {
        var sim = new RaftSimulator(seed, [1, 2, 3]);
        var leader = ElectLeader(sim);
        Assert.True(sim.RunUntil(() => FollowersOf(sim, leader.NodeId).All(id =>
            sim.Node(id).Role == RaftRole.Follower && sim.Node(id).LeaderId == leader.NodeId)));
        Assert.All(sim.Replicas, r => Assert.Equal(leader.Epoch, r.Node!.Epoch));
        Assert.Single(sim.Replicas, r => r.Node!.Role == RaftRole.Leader);
        Assert.Contains(sim.Delivered, m => m.Body is VoteRequest);
        Assert.Contains(sim.Delivered, m => m.Body is BeginQuorumEpochRequest);
    }

    [Fact]
    public void LeaderCommitsOnlyOnceAMajorityHasTheRecords()
    {
        var sim = new RaftSimulator(5, [1, 2, 3]);
        var leader = ElectLeader(sim);
        Assert.True(sim.RunUntil(sim.AllCaughtUp));

        // Alone, the leader can append but not commit.
        sim.Partition([leader.NodeId]);
        var append = sim.Append(leader.NodeId, "x");
        sim.Run(20);
        Assert.True(leader.HighWatermark <= append.BaseOffset);

        // One follower back is a majority of three: now it commits.
        var follower = FollowersOf(sim, leader.NodeId)[0];
        sim.Partition([leader.NodeId, follower]);
        Assert.True(sim.RunUntil(() => leader.HighWatermark > append.LastOffset, 200));
        Assert.Equal(RaftRole.Leader, leader.Role);
        Assert.True(sim.Node(follower).HighWatermark <= leader.HighWatermark);
    }

    [Fact]
    public void FollowerThatMissedEntriesCatchesUp()
    {
        var sim = new RaftSimulator(6, [1, 2, 3]);
        var leader = ElectLeader(sim);
        var lagging = FollowersOf(sim, leader.NodeId)[0];
        sim.Crash(lagging);
        for (var i = 0; i < 30; i++)
        {
            sim.Append(leader.NodeId, $"record-{i}");
            sim.Step();
        }

        Assert.True(sim.RunUntil(() => leader.HighWatermark == leader.Log.EndOffset));
        sim.Restart(lagging);
        Assert.True(sim.RunUntil(sim.AllCaughtUp));
        Assert.Equal(leader.Log.EndOffset, sim[lagging].Log.EndOffset);
        sim.CheckCommittedPrefixes();
    }

    [Theory]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    public void PartitionedOldLeaderTruncatesItsUncommittedEntriesAfterRejoining(int seed)
    {
        var sim = new RaftSimulator(seed, [1, 2, 3]);
        var old = ElectLeader(sim);
        sim.Append(old.NodeId, "committed");
        Assert.True(sim.RunUntil(sim.AllCaughtUp));
        var committedEnd = old.HighWatermark;

        // The old leader keeps appending in its epoch while cut off: none of it can commit.
        sim.Partition([old.NodeId], FollowersOf(sim, old.NodeId));
        sim.Append(old.NodeId, "lost-1");
        sim.Append(old.NodeId, "lost-2");
        var oldEnd = old.Log.EndOffset;
        Assert.True(sim.RunUntil(() => sim.Leader is { } l && l.NodeId != old.NodeId && l.Epoch > old.Epoch, 1000));
        var successor = sim.Leader!;
        sim.Append(successor.NodeId, "new-1");
        Assert.True(sim.RunUntil(() => successor.HighWatermark == successor.Log.EndOffset));
        Assert.Equal(committedEnd, old.HighWatermark);

        sim.Heal();
        Assert.True(sim.RunUntil(sim.AllCaughtUp));
        var rejoined = sim.Node(old.NodeId);
        Assert.Equal(RaftRole.Follower, rejoined.Role);
        Assert.True(sim[old.NodeId].Truncations >= 1);
        Assert.Equal(successor.Log.EndOffset, rejoined.Log.EndOffset);
        Assert.Equal(
            RaftSimulator.BatchesOf(successor.Log),
            RaftSimulator.BatchesOf(sim[old.NodeId].Log));
        Assert.True(oldEnd > committedEnd);
        Assert.Contains(sim.Delivered, m => m.Body is FetchResponse f && f.Responses[0].Partitions[0].DivergingEpoch.EndOffset >= 0);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(11)]
    [InlineData(12)]
    public void LeaderCrashElectsANewLeaderWithinBoundedTimeAndKeepsCommittedEntries(int seed)
    {
        var sim = new RaftSimulator(seed, [1, 2, 3]);
        var leader = ElectLeader(sim);
        for (var i = 0; i < 5; i++)
        {
            sim.Append(leader.NodeId, $"v{i}");
        }

        Assert.True(sim.RunUntil(sim.AllCaughtUp));
        var committed = leader.HighWatermark;
        var committedBatches = RaftSimulator.BatchesOf(leader.Log).Where(b => b.LastOffset < committed).ToList();

        sim.Crash(leader.NodeId);
        // Bound: fetch timeout + election timeout + jitter + a few round trips.
        var config = sim.Configs[leader.NodeId];
        var boundSteps = (config.FetchTimeoutMs + 2 * (config.ElectionTimeoutMs + config.ElectionJitterMs) + 200) / RaftSimulator.StepMs;
        Assert.True(sim.RunUntil(() => sim.Leader is not null, boundSteps), "no new leader in time");
        var successor = sim.Leader!;
        Assert.NotEqual(leader.NodeId, successor.NodeId);
        Assert.Equal(committedBatches,
            RaftSimulator.BatchesOf(successor.Log).Where(b => b.LastOffset < committed));

        sim.Append(successor.NodeId, "after");
        Assert.True(sim.RunUntil(() => successor.HighWatermark == successor.Log.EndOffset));
        sim.Restart(leader.NodeId);
        Assert.True(sim.RunUntil(sim.AllCaughtUp));
        sim.CheckCommittedPrefixes();
    }

    [Fact]
    public void FiveVotersTolerateTwoFailures()
    {
        var sim = new RaftSimulator(13, [1, 2, 3, 4, 5]);
        var leader = ElectLeader(sim);
        var other = FollowersOf(sim, leader.NodeId)[0];
        sim.Crash(leader.NodeId);
        sim.Crash(other);
        Assert.True(sim.RunUntil(() => sim.Leader is not null));
        var successor = sim.Leader!;
        var result = sim.Append(successor.NodeId, "three of five");
        Assert.True(sim.RunUntil(() => successor.HighWatermark > result.LastOffset));
    }

    [Fact]
    public void MinorityCannotCommitWhileMajorityMovesOn()
    {
        var sim = new RaftSimulator(14, [1, 2, 3, 4, 5]);
        var leader = ElectLeader(sim);
        Assert.True(sim.RunUntil(sim.AllCaughtUp));
        var followers = FollowersOf(sim, leader.NodeId);
        int[] minority = [leader.NodeId, followers[0]];
        int[] majority = [followers[1], followers[2], followers[3]];
        sim.Partition(minority, majority);

        var stuck = sim.Append(leader.NodeId, "minority");
        var hwBefore = leader.HighWatermark;
        Assert.True(sim.RunUntil(() => majority.Any(id => sim.Node(id).Role == RaftRole.Leader), 1000));
        var newLeader = majority.Select(sim.Node).Single(n => n.Role == RaftRole.Leader);
        sim.Append(newLeader.NodeId, "majority");
        Assert.True(sim.RunUntil(() => newLeader.HighWatermark == newLeader.Log.EndOffset));

        Assert.Equal(hwBefore, sim.Node(leader.NodeId).HighWatermark);
        Assert.True(sim.Node(leader.NodeId).HighWatermark <= stuck.BaseOffset);
        // The cut-off leader noticed it lost its quorum and stepped down.
        Assert.NotEqual(RaftRole.Leader, sim.Node(leader.NodeId).Role);
    }

    [Fact]
    public void FarBehindFollowerInstallsTheLeadersSnapshotInChunks()
    {
        var sim = new RaftSimulator(15, [1, 2, 3], tune: c => c with { SnapshotChunkBytes = 100, MaxFetchBytes = 300 });
        var leader = ElectLeader(sim);
        var lagging = FollowersOf(sim, leader.NodeId)[0];
        sim.Crash(lagging);
        for (var i = 0; i < 20; i++)
        {
            sim.Append(leader.NodeId, $"record-{i}");
        }

        Assert.True(sim.RunUntil(() => leader.HighWatermark == leader.Log.EndOffset));
        var state = Enumerable.Range(0, 1000).Select(i => (byte)i).ToArray();
        var snapshot = leader.CreateSnapshot(leader.HighWatermark, state);
        Assert.Equal(snapshot.EndOffset, leader.Log.StartOffset);
        var tail = sim.Append(leader.NodeId, "after-snapshot");

        sim.Restart(lagging);
        Assert.True(sim.RunUntil(sim.AllCaughtUp));
        var follower = sim[lagging];
        Assert.Equal(1, follower.SnapshotsInstalled);
        Assert.Equal(snapshot, follower.Log.LatestSnapshot);
        Assert.Equal(snapshot.EndOffset, follower.Log.StartOffset);
        Assert.True(follower.Log.TryReadSnapshot(snapshot, out var installed));
        Assert.Equal(state, installed.ToArray());
        Assert.Equal(tail.LastOffset + 1, follower.Log.EndOffset);
        Assert.True(sim.Delivered.Count(m => m.Body is FetchSnapshotRequest) >= 10);
    }

    [Fact]
    public void GracefulResignationHandsOverToAPreferredSuccessor()
    {
        var sim = new RaftSimulator(16, [1, 2, 3]);
        var leader = ElectLeader(sim);
        Assert.True(sim.RunUntil(sim.AllCaughtUp));
        var epoch = leader.Epoch;
        sim.Apply(leader.NodeId, n => n.Resign(sim.Now));
        Assert.Equal(RaftRole.Resigned, leader.Role);
        Assert.Throws<RaftNotLeaderException>(() => sim.Append(leader.NodeId, "late"));

        // The first preferred successor runs right away, well before any fetch timeout.
        var config = sim.Configs[leader.NodeId];
        Assert.True(sim.RunUntil(() => sim.Leader is { } l && l.Epoch > epoch, config.FetchTimeoutMs / RaftSimulator.StepMs));
        Assert.NotEqual(leader.NodeId, sim.Leader!.NodeId);
        Assert.Contains(sim.Delivered, m => m.Body is EndQuorumEpochRequest e && e.Topics[0].Partitions[0].PreferredSuccessors.Count == 2);
        Assert.True(sim.RunUntil(sim.AllCaughtUp));
    }

    [Fact]
    public void ObserversReplicateButDoNotCountTowardsCommit()
    {
        var sim = new RaftSimulator(17, [1, 2, 3], observers: [4]);
        var leader = ElectLeader(sim);
        var append = sim.Append(leader.NodeId, "seen by all");
        Assert.True(sim.RunUntil(sim.AllCaughtUp));
        Assert.Equal(RaftRole.Follower, sim.Node(4).Role);
        Assert.False(sim.Node(4).IsVoter);
        Assert.True(sim.Node(4).HighWatermark > append.LastOffset);

        foreach (var follower in FollowersOf(sim, leader.NodeId))
        {
            sim.Crash(follower);
        }

        var stuck = sim.Append(leader.NodeId, "observer only");
        Assert.True(sim.RunUntil(() => sim[4].Log.EndOffset == leader.Log.EndOffset, 100));
        Assert.True(leader.HighWatermark <= stuck.BaseOffset);
        Assert.DoesNotContain(sim.Delivered, m => m.Source == 4 && m.Body is VoteRequest);
    }

    [Fact]
    public void LossyNetworkStillElectsAndCommits()
    {
        var sim = new RaftSimulator(18, [1, 2, 3]) { DropRate = 0.2, MaxDelayMs = 40 };
        var leader = ElectLeader(sim);
        var result = sim.Append(leader.NodeId, "through loss");
        Assert.True(sim.RunUntil(() => sim.Leader is { } l && l.HighWatermark > result.LastOffset || sim.Leader?.Epoch > result.Epoch, 3000));
        sim.DropRate = 0;
        Assert.True(sim.RunUntil(sim.AllCaughtUp));
        sim.CheckCommittedPrefixes();
    }
}
