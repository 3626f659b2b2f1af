using Tributary.Broker.Metadata;
using Tributary.Broker.Raft;
using Tributary.Storage;
using Xunit;

namespace Tributary.Broker.Tests.Raft;

/// <summary>The disk-backed log: the shared contract plus recovery after reopening.</summary>
public sealed class PartitionRaftLogTests : RaftLogContractTests, IDisposable
{
    private static readonly TopicPartition Partition = new("__cluster_metadata", 0);
    private readonly string _root = Directory.CreateTempSubdirectory("raft-log-").FullName;
    private readonly List<PartitionLog> _open = [];
    private int _count;

    public void Dispose()
    {
        foreach (var log in _open)
        {
            log.Dispose();
        }

        Directory.Delete(_root, recursive: true);
    }

    protected override IRaftLog NewLog() => Open($"log-{_count++}");

    private PartitionRaftLog Open(string name)
    {
        var log = PartitionLog.Open(Path.Combine(_root, name), Partition, MetadataLog.LogConfig);
        _open.Add(log);
        return new PartitionRaftLog(log, Path.Combine(_root, name + "-snapshots"));
    }

    private PartitionRaftLog Reopen(string name)
    {
        foreach (var log in _open)
        {
            log.Dispose();
        }

        _open.Clear();
        return Open(name);
    }

    [Fact]
    public void ReopenedLogKeepsRecordsEpochsAndSnapshot()
    {
        var log = Open("a");
        log.Append(Batch(0, 1, 2));
        log.Append(Batch(2, 3, 2));
        log.Append(Batch(4, 3, 1));
        log.Append(Batch(5, 4, 1));
        log.CreateSnapshot(new RaftSnapshotId(4, 3), [5, 6, 7]);

        var reopened = Reopen("a");
        Assert.Equal(4, reopened.StartOffset);
        Assert.Equal(6, reopened.EndOffset);
        Assert.Equal(4, reopened.LastEpoch);
        Assert.Equal(new RaftSnapshotId(4, 3), reopened.LatestSnapshot);
        Assert.Equal(new RaftEpochEnd(3, 5), reopened.EndOffsetForEpoch(3));
        Assert.Null(reopened.EndOffsetForEpoch(2));
        Assert.True(reopened.TryReadSnapshot(new RaftSnapshotId(4, 3), out var state));
        Assert.Equal([5, 6, 7], state.ToArray());
        Assert.Equal(3, reopened.EpochOf(4));
    }

    [Fact]
    public void InstalledSnapshotSurvivesReopenAndReplacesOlderOnes()
    {
        var log = Open("b");
        log.Append(Batch(0, 1, 3));
        log.CreateSnapshot(new RaftSnapshotId(3, 1), [1]);
        log.InstallSnapshot(new RaftSnapshotId(40, 6), [2, 2]);
        Assert.Single(Directory.GetFiles(Path.Combine(_root, "b-snapshots")));

        var reopened = Reopen("b");
        Assert.Equal(40, reopened.StartOffset);
        Assert.Equal(40, reopened.EndOffset);
        Assert.Equal(6, reopened.LastEpoch);
        reopened.Append(Batch(40, 7, 1));
        Assert.Equal(41, reopened.EndOffset);
    }

    [Fact]
    public void CorruptSnapshotFileIsATypedError()
    {
        var log = Open("c");
        log.Append(Batch(0, 1, 1));
        log.CreateSnapshot(new RaftSnapshotId(1, 1), [1, 2, 3]);
        var file = Assert.Single(Directory.GetFiles(Path.Combine(_root, "c-snapshots")));
        var bytes = File.ReadAllBytes(file);
        bytes[0] ^= 0xFF;
        File.WriteAllBytes(file, bytes);

        var reopened = Reopen("c");
        Assert.Throws<InvalidDataException>(() => reopened.TryReadSnapshot(new RaftSnapshotId(1, 1), out _));
    }

    [Fact]
    public void ClusterOnDiskLogsRecoversAcrossRestarts()
    {
        var sim = new RaftSimulator(21, [1, 2, 3], openLog: (id, previous) => previous is null ? Open($"node-{id}") : ReopenNode(id));
        Assert.True(sim.RunUntil(() => sim.Leader is not null));
        var leader = sim.Leader!;
        var follower = sim.Voters.First(v => v != leader.NodeId);
        sim.Crash(follower);
        for (var i = 0; i < 10; i++)
        {
            sim.Append(leader.NodeId, $"disk-{i}");
        }

        Assert.True(sim.RunUntil(() => leader.HighWatermark == leader.Log.EndOffset));
        leader.CreateSnapshot(leader.HighWatermark, [42]);
        sim.Append(leader.NodeId, "tail");
        sim.Restart(follower);
        Assert.True(sim.RunUntil(sim.AllCaughtUp));
        Assert.Equal(1, sim[follower].SnapshotsInstalled);

        // Restart the leader from its files: the cluster moves on with nothing committed lost.
        var committed = RaftSimulator.BatchesOf(leader.Log);
        sim.Crash(leader.NodeId);
        sim.Restart(leader.NodeId);
        Assert.Equal(committed, RaftSimulator.BatchesOf(sim[leader.NodeId].Log));
        Assert.True(sim.RunUntil(() => sim.Leader is not null && sim.AllCaughtUp()));
        sim.CheckCommittedPrefixes();
    }

    [Theory]
    [InlineData(200, 3)]
    [InlineData(201, 5)]
    [InlineData(202, 3)]
    public void SafetyHoldsUnderRandomFaultsOnDisk(int seed, int voterCount) =>
        RaftPropertyTests.RunChaos(seed, voterCount, 800, (id, previous) => previous is null ? Open($"node-{id}") : ReopenNode(id));

    /// <summary>Closes only node <paramref name="id"/>'s partition log and opens it again from disk.</summary>
    private PartitionRaftLog ReopenNode(int id)
    {
        var directory = Path.Combine(_root, $"node-{id}");
        var old = _open.Single(l => l.Directory == directory);
        old.Dispose();
        _open.Remove(old);
        return Open($"node-{id}");
    }
}
