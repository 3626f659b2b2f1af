using Tributary.Broker.Partitions;
using Tributary.Broker.Producers;
using Tributary.Broker.Tests.Data;
using Tributary.Protocol;
using Tributary.Protocol.Records;
using Tributary.Storage;
using Xunit;

namespace Tributary.Broker.Tests.Replication;

/// <summary>The partition's replication rules without the network: ISR changes, maximal ISR, follower appends and truncation.</summary>
public sealed class PartitionReplicationTests : IDisposable
{
    private const int Leader = 1;
    private const int Follower = 2;
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "tributary-partition-" + Guid.NewGuid().ToString("N"));
    private readonly ManualClock _clock = new();
    private readonly ScriptedSender _sender = new();
    private readonly List<PartitionLog> _logs = [];

    public void Dispose()
    {
        _logs.ForEach(l => l.Dispose());
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task ExpansionIsProposedOnceTheFollowerReachesTheHighWatermarkAndCountsWhilePending()
    {
        var partition = Open(Leader);
        partition.ApplyLeadership(new PartitionLeadership(Leader, 0, 0, [Leader, Follower], [Leader]));
        Assert.Equal(ErrorCode.None, partition.AppendAsLeader(Wire.Batch(4), checkSequences: true).Error);
        Assert.Equal(4, partition.HighWatermark); // the ISR is the leader alone

        partition.UpdateFollowerFetchState(Follower, 2, 4, 7);
        Assert.Empty(_sender.Proposals); // below the high watermark
        partition.UpdateFollowerFetchState(Follower, 4, 4, 7);
        await _sender.WaitForAsync(1);
        var proposal = Assert.Single(_sender.Proposals);
        Assert.Equal([Leader, Follower], proposal.NewIsr);
        Assert.Equal((0, 0), (proposal.LeaderEpoch, proposal.PartitionEpoch));
        Assert.True(partition.IsrChangeInFlight);
        Assert.Equal([Leader, Follower], partition.MaximalIsr.Order());

        // While pending, the high watermark already waits for the joining follower.
        partition.AppendAsLeader(Wire.Batch(2), checkSequences: true);
        Assert.Equal(4, partition.HighWatermark);
        partition.UpdateFollowerFetchState(Follower, 6, 6, 7);
        Assert.Equal(6, partition.HighWatermark);
        Assert.Single(_sender.Proposals); // one change in flight

        _sender.Complete(new IsrChangeResult(ErrorCode.None, Leader, 0, 1, [Leader, Follower]));
        await ReplicaCluster.WaitUntilAsync(() => !partition.IsrChangeInFlight, "the answer is applied");
        Assert.Equal([Leader, Follower], partition.Leadership.Isr);
        Assert.Equal(1, partition.Leadership.PartitionEpoch);

        // A metadata image older than the applied change is ignored.
        partition.ApplyLeadership(new PartitionLeadership(Leader, 0, 0, [Leader, Follower], [Leader]));
        Assert.Equal([Leader, Follower], partition.Leadership.Isr);
    }

    [Fact]
    public async Task ShrinkTakesEffectOnlyOnceCommittedAndFailuresAreRetried()
    {
        var partition = Open(Leader);
        partition.ApplyLeadership(new PartitionLeadership(Leader, 3, 5, [Leader, Follower], [Leader, Follower]));
        partition.UpdateFollowerFetchState(Follower, 0, 0, 7);
        partition.AppendAsLeader(Wire.Batch(2), checkSequences: true);
        var commit = partition.WaitForCommitAsync(2, TimeSpan.FromMinutes(1), CancellationToken.None);

        Assert.False(partition.MaybeShrinkIsr()); // caught up a moment ago
        _clock.Advance(TimeSpan.FromSeconds(31));
        Assert.True(partition.MaybeShrinkIsr());
        await _sender.WaitForAsync(1);
        Assert.Equal([Leader], Assert.Single(_sender.Proposals).NewIsr);
        Assert.Equal(0, partition.HighWatermark); // still waits for the follower until committed
        Assert.False(commit.IsCompleted);

        _sender.Complete(IsrChangeResult.Failed(ErrorCode.InvalidUpdateVersion));
        await ReplicaCluster.WaitUntilAsync(() => !partition.IsrChangeInFlight, "the failure clears the proposal");
        Assert.Equal([Leader, Follower], partition.Leadership.Isr);
        Assert.False(partition.MaybeShrinkIsr()); // backs off first
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(partition.MaybeShrinkIsr());
        await _sender.WaitForAsync(2);
        _sender.Complete(new IsrChangeResult(ErrorCode.None, Leader, 3, 6, [Leader]));
        Assert.Equal(ErrorCode.None, await commit);
        Assert.Equal(2, partition.HighWatermark);
        Assert.Equal([Leader], partition.Leadership.Isr);
    }

    [Fact]
    public void FollowerAppendKeepsTheLeadersOffsetsAndEpochsAndRefusesStaleEpochs()
    {
        var (leader, follower) = (Open(Leader, "leader"), Open(Follower, "follower"));
        leader.ApplyLeadership(new PartitionLeadership(Leader, 5, 0, [Leader, Follower], [Leader, Follower]));
        follower.ApplyLeadership(new PartitionLeadership(Leader, 5, 0, [Leader, Follower], [Leader, Follower]));
        leader.AppendAsLeader(Wire.Batch(3), checkSequences: true);
        leader.AppendAsLeader(Wire.Batch(2, producerId: 9, producerEpoch: 0, baseSequence: 0), checkSequences: true);
        var bytes = ReadAll(leader);

        Assert.Equal(ErrorCode.NotLeaderOrFollower, follower.AppendAsFollower(bytes, leaderEpoch: 4, leaderHighWatermark: 5).Error);
        var firstSize = RecordBatchHeader.TotalSize(bytes);
        // The first batch alone, then both (the first is skipped as already present) plus a cut-off tail.
        Assert.Equal(ErrorCode.None, follower.AppendAsFollower(bytes.AsSpan(0, firstSize), 5, 2).Error);
        Assert.Equal(2, follower.HighWatermark);
        var withTail = bytes.Concat(bytes.AsSpan(0, 30).ToArray()).ToArray();
        Assert.Equal(ErrorCode.None, follower.AppendAsFollower(withTail, 5, 9).Error);
        Assert.Equal(5, follower.LogEndOffset);
        Assert.Equal(5, follower.HighWatermark); // min(leader HW, log end)
        Assert.Equal(bytes, ReadAll(follower));
        Assert.Equal(5, follower.Log.LeaderEpochs.LatestEpoch);
        Assert.Equal((short)0, follower.ProducerInfo(9)!.Value.Epoch);

        // Truncation removes the idempotent batch and its producer state.
        Assert.False(follower.TruncateTo(3, leaderEpoch: 4));
        Assert.True(follower.TruncateTo(3, leaderEpoch: 5));
        Assert.Equal(3, follower.LogEndOffset);
        Assert.Equal(3, follower.HighWatermark);
        Assert.Null(follower.ProducerInfo(9));

        Assert.True(follower.TruncateFullyAndStartAt(40, 5));
        Assert.Equal((40L, 40L, 40L), (follower.LogStartOffset, follower.LogEndOffset, follower.HighWatermark));
    }

    [Fact]
    public void DivergenceIsReportedFromTheEpochHistory()
    {
        var partition = Open(Leader);
        partition.ApplyLeadership(new PartitionLeadership(Leader, 0, 0, [Leader, Follower], [Leader]));
        partition.AppendAsLeader(Wire.Batch(4), checkSequences: true);
        partition.ApplyLeadership(new PartitionLeadership(Leader, 2, 1, [Leader, Follower], [Leader]));
        partition.AppendAsLeader(Wire.Batch(3), checkSequences: true);

        Assert.Null(partition.FindDivergence(-1, 6));
        Assert.Null(partition.FindDivergence(0, 4)); // a prefix of epoch 0
        Assert.Equal(new DivergingEpoch(0, 4), partition.FindDivergence(0, 6)); // epoch 0 ended at 4 here
        Assert.Equal(new DivergingEpoch(0, 4), partition.FindDivergence(1, 5)); // epoch 1 never existed here
        Assert.Null(partition.FindDivergence(2, 7));
        Assert.Equal(new EpochEntry(2, 7), partition.EndOffsetForEpoch(2));
        Assert.Equal(new EpochEntry(-1, -1), partition.EndOffsetForEpoch(3));
    }

    private static byte[] ReadAll(Partition partition)
    {
        using var read = partition.Log.Read(partition.LogStartOffset, 1 << 20, long.MaxValue, minOneBatch: true);
        return read.Records.ToArray();
    }

    private Partition Open(int nodeId, string name = "p")
    {
        var log = PartitionLog.Open(Path.Combine(_directory, name), new TopicPartition("t", 0), LogConfig.Default, time: _clock);
        _logs.Add(log);
        var settings = new PartitionReplicationSettings { ReplicaLagTimeMaxMs = 30_000, IsrSender = _sender };
        return new Partition(log, Guid.NewGuid(), nodeId, new PartitionProducerState(), _clock, settings);
    }

    /// <summary>Records proposals; the test answers them one by one.</summary>
    private sealed class ScriptedSender : IIsrChangeSender
    {
        private readonly Queue<TaskCompletionSource<IsrChangeResult>> _waiting = new();
        private readonly Lock _lock = new();

        public List<IsrChangeProposal> Proposals { get; } = [];

        public Task WaitForAsync(int count) => ReplicaCluster.WaitUntilAsync(() =>
        {
            lock (_lock)
            {
                return Proposals.Count >= count;
            }
        }, $"{count} proposals");

        public Task<IsrChangeResult> SendAsync(IsrChangeProposal proposal, CancellationToken ct)
        {
            var done = new TaskCompletionSource<IsrChangeResult>(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_lock)
            {
                Proposals.Add(proposal);
                _waiting.Enqueue(done);
            }

            return done.Task;
        }

        public void Complete(IsrChangeResult result)
        {
            TaskCompletionSource<IsrChangeResult> next;
            lock (_lock)
            {
                next = _waiting.Dequeue();
            }

            next.SetResult(result);
        }
    }
}
