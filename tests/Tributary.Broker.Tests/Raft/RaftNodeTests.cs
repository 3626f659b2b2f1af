using Tributary.Broker.Raft;
using Tributary.Protocol;
using Tributary.Protocol.Messages;
using Xunit;

namespace Tributary.Broker.Tests.Raft;

/// <summary>Single-node protocol rules, driven message by message.</summary>
public class RaftNodeTests
{
    private static RaftConfig Config(int nodeId) => new()
    {
        NodeId = nodeId,
        Voters = [1, 2, 3],
        ClusterId = "c1",
        ElectionTimeoutMs = 100,
        ElectionJitterMs = 100,
        FetchTimeoutMs = 300,
    };

    private static RaftNode NewNode(int id, IRaftLog? log = null, IQuorumStateStore? store = null, long now = 0) =>
        new(Config(id), log ?? new InMemoryRaftLog(), store ?? new InMemoryQuorumStateStore(), new Random(id), now);

    private static RaftMessage Vote(int candidate, int to, int epoch, int lastEpoch = 0, long lastOffset = 0) =>
        new(candidate, to, new VoteRequest
        {
            ClusterId = "c1",
            Topics =
            [
                new VoteRequest.TopicData
                {
                    TopicName = "__cluster_metadata",
                    Partitions = [new VoteRequest.PartitionData { CandidateEpoch = epoch, CandidateId = candidate, LastOffsetEpoch = lastEpoch, LastOffset = lastOffset }],
                },
            ],
        });

    private static bool Granted(RaftOutput output) =>
        ((VoteResponse)output.Response!).Topics[0].Partitions[0].VoteGranted;

    private static RaftMessage Fetch(int from, int to, int epoch, long offset, int lastEpoch, string? clusterId = "c1") =>
        new(from, to, new FetchRequest
        {
            ClusterId = clusterId,
            ReplicaState = new FetchRequest.ReplicaStateData { ReplicaId = from },
            Topics =
            [
                new FetchRequest.FetchTopic
                {
                    Topic = "__cluster_metadata",
                    Partitions = [new FetchRequest.FetchPartition { CurrentLeaderEpoch = epoch, FetchOffset = offset, LastFetchedEpoch = lastEpoch }],
                },
            ],
        });

    /// <summary>Makes node 1 leader of epoch 1 by answering its vote requests.</summary>
    private static RaftNode Leader(InMemoryRaftLog log, out long now)
    {
        var node = NewNode(1, log);
        now = 1000;
        var output = node.Tick(now);
        Assert.Equal(RaftRole.Candidate, node.Role);
        var request = output.Messages.First(m => m.Destination == 2);
        var voter = NewNode(2);
        var answer = voter.Handle(now, request);
        node.Handle(now, new RaftMessage(2, 1, answer.Response!));
        Assert.Equal(RaftRole.Leader, node.Role);
        return node;
    }

    [Fact]
    public void GrantsOneVotePerEpochAndPersistsItBeforeAnswering()
    {
        var store = new InMemoryQuorumStateStore();
        var node = NewNode(1, store: store);
        Assert.True(Granted(node.Handle(0, Vote(2, 1, epoch: 1))));
        Assert.Equal(new QuorumState(1, 2, -1), store.Load());
        Assert.False(Granted(node.Handle(0, Vote(3, 1, epoch: 1))));
        Assert.True(Granted(node.Handle(0, Vote(2, 1, epoch: 1)))); // a repeated request gets the same answer
    }

    [Fact]
    public void RestartedVoterDoesNotVoteTwiceInAnEpoch()
    {
        var store = new InMemoryQuorumStateStore();
        var log = new InMemoryRaftLog();
        Assert.True(Granted(NewNode(1, log, store).Handle(0, Vote(2, 1, epoch: 4))));

        var restarted = NewNode(1, log, store, now: 50);
        Assert.Equal(RaftRole.Voted, restarted.Role);
        Assert.Equal(4, restarted.Epoch);
        Assert.Equal(2, restarted.VotedId);
        Assert.False(Granted(restarted.Handle(50, Vote(3, 1, epoch: 4))));
        Assert.True(Granted(restarted.Handle(50, Vote(3, 1, epoch: 5))));
    }

    [Fact]
    public void RejectsCandidatesWithAShorterOrOlderLog()
    {
        var log = new InMemoryRaftLog();
        var leader = Leader(log, out var now);
        leader.Append(now, [new byte[] { 1 }]); // log: epoch 1, end offset 2
        var node = NewNode(3, log); // shares the log for the comparison
        Assert.False(Granted(node.Handle(now, Vote(2, 3, epoch: 5, lastEpoch: 1, lastOffset: 1))));
        Assert.False(Granted(node.Handle(now, Vote(2, 3, epoch: 6, lastEpoch: 0, lastOffset: 9))));
        Assert.True(Granted(node.Handle(now, Vote(2, 3, epoch: 7, lastEpoch: 1, lastOffset: 2))));
    }

    [Fact]
    public void StaleEpochVoteIsRejectedWithTheCurrentEpoch()
    {
        var node = NewNode(1);
        node.Handle(0, Vote(2, 1, epoch: 3));
        var answer = (VoteResponse)node.Handle(0, Vote(3, 1, epoch: 2)).Response!;
        Assert.False(answer.Topics[0].Partitions[0].VoteGranted);
        Assert.Equal(3, answer.Topics[0].Partitions[0].LeaderEpoch);
    }

    [Fact]
    public void ElectionStartsOnlyAfterTheRandomizedTimeout()
    {
        var node = NewNode(1);
        Assert.Empty(node.Tick(99).Messages);
        Assert.Equal(RaftRole.Unattached, node.Role);
        var output = node.Tick(200); // base 100 + jitter up to 100
        Assert.Equal(RaftRole.Candidate, node.Role);
        Assert.Equal(1, node.Epoch);
        Assert.Equal([2, 3], output.Messages.Select(m => m.Destination).Order());
        Assert.All(output.Messages, m => Assert.IsType<VoteRequest>(m.Body));
    }

    [Fact]
    public void NewLeaderWritesLeaderChangeAndAnnouncesItsEpoch()
    {
        var log = new InMemoryRaftLog();
        var node = NewNode(1, log);
        var output = node.Tick(1000);
        var voter = NewNode(2);
        var answer = voter.Handle(1000, output.Messages.First(m => m.Destination == 2));
        var elected = node.Handle(1000, new RaftMessage(2, 1, answer.Response!));
        Assert.Equal(RaftRole.Leader, node.Role);
        Assert.True(elected.StateChanged);
        Assert.Single(log.Batches);
        Assert.Equal(1, log.Batches[0].Epoch);
        Assert.True(new Tributary.Protocol.Records.RecordBatch(log.Batches[0].Bytes).IsControl);
        Assert.Equal([2, 3], elected.Messages.Where(m => m.Body is BeginQuorumEpochRequest).Select(m => m.Destination).Order());
        Assert.Equal(0, node.HighWatermark); // not committed until a follower has it

        var follow = voter.Handle(1000, elected.Messages.First(m => m.Destination == 2));
        Assert.Equal(RaftRole.Follower, voter.Role);
        Assert.Equal(1, voter.LeaderId);
        Assert.Equal((short)0, ((BeginQuorumEpochResponse)follow.Response!).Topics[0].Partitions[0].ErrorCode);
    }

    [Fact]
    public void FetchWithADivergentLogGetsTheEndOfTheLargestSharedEpoch()
    {
        var log = new InMemoryRaftLog();
        var leader = Leader(log, out var now);
        leader.Append(now, [new byte[] { 1 }, new byte[] { 2 }]); // offsets 1-2, epoch 1; end 3
        var answer = (FetchResponse)leader.Handle(now, Fetch(2, 1, epoch: 1, offset: 5, lastEpoch: 1)).Response!;
        var partition = answer.Responses[0].Partitions[0];
        Assert.Equal(1, partition.DivergingEpoch.Epoch);
        Assert.Equal(3, partition.DivergingEpoch.EndOffset);
        Assert.Null(partition.Records);

        // An epoch the leader never had: it answers with the largest epoch below it.
        var older = (FetchResponse)leader.Handle(now, Fetch(2, 1, epoch: 1, offset: 2, lastEpoch: 0)).Response!;
        Assert.Equal(0, older.Responses[0].Partitions[0].DivergingEpoch.Epoch);
        Assert.Equal(0, older.Responses[0].Partitions[0].DivergingEpoch.EndOffset);
    }

    [Fact]
    public void MatchingFetchReturnsRecordsAndAdvancesTheHighWatermark()
    {
        var log = new InMemoryRaftLog();
        var leader = Leader(log, out var now);
        leader.Append(now, [new byte[] { 1 }]);
        var first = leader.Handle(now, Fetch(2, 1, epoch: 1, offset: 0, lastEpoch: 0));
        var partition = ((FetchResponse)first.Response!).Responses[0].Partitions[0];
        Assert.True(partition.Records!.Value.Length > 0);
        Assert.Equal(0, partition.HighWatermark);

        var second = leader.Handle(now, Fetch(2, 1, epoch: 1, offset: 2, lastEpoch: 1));
        Assert.Equal(2, second.HighWatermark);
        Assert.Equal(2, ((FetchResponse)second.Response!).Responses[0].Partitions[0].HighWatermark);
    }

    [Fact]
    public void FetchBehindTheLogStartIsPointedAtTheSnapshot()
    {
        var log = new InMemoryRaftLog();
        var leader = Leader(log, out var now);
        leader.Append(now, [new byte[] { 1 }]);
        leader.Handle(now, Fetch(2, 1, epoch: 1, offset: 2, lastEpoch: 1));
        var snapshot = leader.CreateSnapshot(2, [9, 9]);
        var answer = (FetchResponse)leader.Handle(now, Fetch(3, 1, epoch: 1, offset: 0, lastEpoch: 0)).Response!;
        Assert.Equal(snapshot.EndOffset, answer.Responses[0].Partitions[0].SnapshotId.EndOffset);
        Assert.Equal(snapshot.Epoch, answer.Responses[0].Partitions[0].SnapshotId.Epoch);
    }

    [Fact]
    public void LeaderNeverCommitsOlderEpochRecordsByCountingReplicas()
    {
        // Records 0-1 were written in epoch 1 and never committed; node 1 now wins epoch 2.
        var log = new InMemoryRaftLog();
        using (var builder = new Tributary.Protocol.Records.RecordBatchBuilder { BaseOffset = 0, PartitionLeaderEpoch = 1 })
        {
            builder.AppendValue(0, [1]);
            builder.AppendValue(0, [2]);
            log.Append(builder.ToArray());
        }

        var store = new InMemoryQuorumStateStore();
        store.Save(new QuorumState(1, -1, -1));
        var leader = NewNode(1, log, store);
        var candidacy = leader.Tick(1000);
        var answer = NewNode(2).Handle(1000, candidacy.Messages.First(m => m.Destination == 2));
        leader.Handle(1000, new RaftMessage(2, 1, answer.Response!));
        Assert.Equal(RaftRole.Leader, leader.Role);
        Assert.Equal(2, leader.Epoch);

        // A majority holds offsets 0-1, but only epoch-1 records: they stay uncommitted (Raft §5.4.2).
        leader.Handle(1000, Fetch(2, 1, epoch: 2, offset: 2, lastEpoch: 1));
        Assert.Equal(0, leader.HighWatermark);

        // Once the epoch-2 LeaderChange record is on a majority, everything below it commits.
        var output = leader.Handle(1000, Fetch(2, 1, epoch: 2, offset: 3, lastEpoch: 2));
        Assert.Equal(3, output.HighWatermark);
    }

    [Fact]
    public void SnapshotsOnlyAtCommittedBatchBoundaries()
    {
        var log = new InMemoryRaftLog();
        var leader = Leader(log, out var now);
        leader.Append(now, [new byte[] { 1 }, new byte[] { 2 }]);
        Assert.Throws<ArgumentOutOfRangeException>(() => leader.CreateSnapshot(3, [1])); // not committed
        leader.Handle(now, Fetch(2, 1, epoch: 1, offset: 3, lastEpoch: 1));
        Assert.Equal(3, leader.HighWatermark);
        Assert.Throws<ArgumentOutOfRangeException>(() => leader.CreateSnapshot(2, [1])); // inside a batch
        Assert.Equal(new RaftSnapshotId(3, 1), leader.CreateSnapshot(3, [1]));
    }

    [Fact]
    public void StaleEpochFetchIsFencedAndToldTheLeader()
    {
        var log = new InMemoryRaftLog();
        var leader = Leader(log, out var now);
        var answer = (FetchResponse)leader.Handle(now, Fetch(4, 1, epoch: 0, offset: 0, lastEpoch: 0)).Response!;
        var partition = answer.Responses[0].Partitions[0];
        Assert.Equal((short)ErrorCode.FencedLeaderEpoch, partition.ErrorCode);
        Assert.Equal(1, partition.CurrentLeader.LeaderId);
        Assert.Equal(1, partition.CurrentLeader.LeaderEpoch);
    }

    [Fact]
    public void WrongClusterIdOrShapeIsATypedError()
    {
        var node = NewNode(1);
        var answer = (FetchResponse)node.Handle(0, Fetch(2, 1, epoch: 0, offset: 0, lastEpoch: 0, clusterId: "other")).Response!;
        Assert.Equal((short)ErrorCode.InconsistentClusterId, answer.ErrorCode);
        var empty = (VoteResponse)node.Handle(0, new RaftMessage(2, 1, new VoteRequest { ClusterId = "c1" })).Response!;
        Assert.Equal((short)ErrorCode.InvalidRequest, empty.ErrorCode);
        Assert.Throws<ArgumentException>(() => node.Handle(0, new RaftMessage(2, 1, new MetadataRequest())));
    }

    [Fact]
    public void AppendOnAFollowerThrowsNotLeader()
    {
        var node = NewNode(1);
        var error = Assert.Throws<RaftNotLeaderException>(() => node.Append(0, [new byte[] { 1 }]));
        Assert.Equal(0, error.Epoch);
    }

    [Fact]
    public void DescribeQuorumListsVotersAndObservers()
    {
        var log = new InMemoryRaftLog();
        var leader = Leader(log, out var now);
        leader.Handle(now, Fetch(2, 1, epoch: 1, offset: 1, lastEpoch: 1));
        leader.Handle(now, Fetch(7, 1, epoch: 1, offset: 0, lastEpoch: 0));
        var request = new DescribeQuorumRequest
        {
            Topics = [new DescribeQuorumRequest.TopicData { TopicName = "__cluster_metadata", Partitions = [new DescribeQuorumRequest.PartitionData()] }],
        };
        var answer = (DescribeQuorumResponse)leader.Handle(now, new RaftMessage(9, 1, request)).Response!;
        var partition = answer.Topics[0].Partitions[0];
        Assert.Equal(1, partition.LeaderId);
        Assert.Equal([1, 2, 3], partition.CurrentVoters.Select(v => v.ReplicaId));
        Assert.Equal(1, partition.CurrentVoters[1].LogEndOffset);
        Assert.Equal(-1, partition.CurrentVoters[2].LogEndOffset);
        Assert.Equal(7, Assert.Single(partition.Observers).ReplicaId);
        Assert.Equal(1, partition.HighWatermark);
    }

    [Fact]
    public void LeaderWithoutAQuorumResigns()
    {
        var log = new InMemoryRaftLog();
        var leader = Leader(log, out var now);
        var config = Config(1);
        leader.Tick(now + config.CheckQuorumTimeoutMs - 1);
        Assert.Equal(RaftRole.Leader, leader.Role);
        var output = leader.Tick(now + config.CheckQuorumTimeoutMs);
        Assert.Equal(RaftRole.Resigned, leader.Role);
        Assert.Equal(2, output.Messages.Count(m => m.Body is EndQuorumEpochRequest));
    }
}
