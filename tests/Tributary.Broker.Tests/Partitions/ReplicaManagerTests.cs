using Tributary.Broker.Partitions;
using Tributary.Broker.Tests.Data;
using Tributary.Protocol;
using Tributary.Protocol.Records;
using Tributary.Storage;
using Xunit;

namespace Tributary.Broker.Tests.Partitions;

public sealed class ReplicaManagerTests
{
    [Fact]
    public async Task FollowsTopicCreationConfigChangesAndDeletion()
    {
        await using var broker = DataBroker.Start();
        broker.CreateTopic("t", partitions: 3, configs: new() { ["segment.bytes"] = "2048" });
        broker.Metadata.Publish(broker.Metadata.Current.WithTopic("other", leader: 7, isr: [7, 8], replicas: [7, 8]));

        Assert.Equal(3, broker.Replicas.Partitions.Count);
        Assert.Null(broker.Replicas.GetPartition("other", 0));
        var partition = broker.Partition("t", 2);
        Assert.True(partition.IsLeader);
        Assert.Equal(2048, partition.Log.Config.SegmentBytes);
        Assert.Equal(broker.Metadata.Current.Topic("t")!.Id, PartitionMetadataFile.Read(partition.Log.Directory));

        broker.Metadata.Publish(broker.Metadata.Current.WithTopicConfig("t", "segment.bytes", "4096"));
        Assert.Equal(4096, broker.Partition("t", 0).Log.Config.SegmentBytes);

        var directory = partition.Log.Directory;
        broker.Metadata.Publish(broker.Metadata.Current.WithoutTopic("t"));
        Assert.Empty(broker.Replicas.Partitions);
        Assert.True(partition.IsClosed);
        Assert.False(Directory.Exists(directory));
    }

    [Fact]
    public async Task ARecreatedTopicStartsWithAnEmptyLog()
    {
        await using var broker = DataBroker.Start();
        broker.CreateTopic("t");
        await Append(broker, "t");
        Assert.Equal(1, broker.Partition("t").LogEndOffset);

        // Same name, new id (deleted and recreated between two images).
        broker.Metadata.Publish(broker.Metadata.Current.WithTopic("t"));
        Assert.Equal(0, broker.Partition("t").LogEndOffset);
        Assert.Equal(broker.Metadata.Current.Topic("t")!.Id, broker.Partition("t").TopicId);
    }

    [Fact]
    public async Task ALogLeftByAnOlderTopicIdIsReplacedOnStartup()
    {
        var broker = DataBroker.Start();
        try
        {
            broker.CreateTopic("t");
            await Append(broker, "t");
            // The topic was deleted and recreated while the broker was down: the image it starts with has a new id.
            var recreated = broker.Metadata.Current.WithTopic("t");
            broker = await broker.RestartAsync(image: recreated);
            Assert.Equal(0, broker.Partition("t").LogEndOffset);
            Assert.Equal(recreated.Topic("t")!.Id, PartitionMetadataFile.Read(broker.Partition("t").Log.Directory));
        }
        finally
        {
            await broker.DisposeAsync();
        }
    }

    [Fact]
    public async Task LeadershipMovingAwayStopsServing()
    {
        await using var broker = DataBroker.Start();
        broker.CreateTopic("t");
        var partition = broker.Partition("t");
        broker.Metadata.Publish(broker.Metadata.Current.WithTopic("t", id: partition.TopicId, leader: 7, leaderEpoch: 1, isr: [7, DataBroker.NodeId]));

        Assert.False(partition.IsLeader);
        Assert.Same(partition, broker.Partition("t"));
        var result = partition.AppendAsLeader(Wire.Batch(), checkSequences: true);
        Assert.Equal(ErrorCode.NotLeaderOrFollower, result.Error);
    }

    [Fact]
    public async Task HighWatermarkIsTheMinimumOverTheIsr()
    {
        await using var broker = DataBroker.Start();
        broker.Metadata.Publish(broker.Metadata.Current.WithTopic("t", isr: [DataBroker.NodeId, 5]));
        var partition = broker.Partition("t");

        var appended = partition.AppendAsLeader(Wire.Batch(3), checkSequences: true);
        Assert.Equal(ErrorCode.None, appended.Error);
        Assert.Equal(0, partition.HighWatermark);
        var commit = partition.WaitForCommitAsync(3, TimeSpan.FromMinutes(1), CancellationToken.None);
        Assert.False(commit.IsCompleted);

        partition.UpdateReplicaEndOffset(5, 2);
        Assert.Equal(2, partition.HighWatermark);
        Assert.False(commit.IsCompleted);
        partition.UpdateReplicaEndOffset(5, 3);
        Assert.Equal(ErrorCode.None, await commit);
        Assert.Equal(3, partition.HighWatermark);

        partition.AppendAsLeader(Wire.Batch(1), checkSequences: true);
        Assert.Equal(ErrorCode.RequestTimedOut, await partition.WaitForCommitAsync(4, TimeSpan.FromMilliseconds(20), CancellationToken.None));
    }

    [Fact]
    public async Task InternalTopicLogAppendsAndReadsCommittedBatches()
    {
        await using var broker = DataBroker.Start();
        broker.Metadata.Publish(broker.Metadata.Current.WithTopic(InternalTopics.ConsumerOffsets, partitions: 2));
        IInternalTopicLog log = broker.Replicas;
        var original = Wire.Batch(2);
        var input = (byte[])original.Clone();

        var (error, first) = await log.AppendAsync(InternalTopics.ConsumerOffsets, 1, input, CancellationToken.None);
        var (_, second) = await log.AppendAsync(InternalTopics.ConsumerOffsets, 1, Wire.Batch(1).Concat(Wire.Batch(3)).ToArray(), CancellationToken.None);

        Assert.Equal(ErrorCode.None, error);
        Assert.Equal(0, first);
        Assert.Equal(2, second);
        Assert.Equal(original, input);
        var chunks = log.ReadCommitted(InternalTopics.ConsumerOffsets, 1, 0).ToList();
        var batches = chunks.SelectMany(c => Wire.Batches(c)).ToList();
        Assert.Equal([(0L, 1L, 2), (2L, 2L, 1), (3L, 5L, 3)], batches);
        Assert.Equal([(3L, 5L, 3)], log.ReadCommitted(InternalTopics.ConsumerOffsets, 1, 4).SelectMany(c => Wire.Batches(c)));
        Assert.Empty(log.ReadCommitted(InternalTopics.ConsumerOffsets, 0, 0));

        Assert.Equal(ErrorCode.UnknownTopicOrPartition, (await log.AppendAsync("missing", 0, Wire.Batch(), CancellationToken.None)).Error);
        var corrupt = Wire.Batch();
        corrupt[^1] ^= 1;
        Assert.Equal(ErrorCode.CorruptMessage, (await log.AppendAsync(InternalTopics.ConsumerOffsets, 0, corrupt, CancellationToken.None)).Error);
        Assert.Equal(0, RecordBatchHeader.BaseOffset(chunks[0].Span));
    }

    [Fact]
    public async Task ProducerSnapshotsArePrunedAndWrittenOnlyOnChange()
    {
        await using var broker = DataBroker.Start();
        broker.CreateTopic("t");
        var partition = broker.Partition("t");
        for (var i = 0; i < 4; i++)
        {
            partition.AppendAsLeader(Wire.Batch(1, producerId: 9, producerEpoch: 0, baseSequence: i), checkSequences: true);
            Assert.Equal(1, broker.Replicas.CheckpointProducerStates());
        }

        Assert.Equal(0, broker.Replicas.CheckpointProducerStates());
        Assert.Equal([3L, 4L], ProducerStateSnapshot.List(partition.Log.Directory));
        Assert.Equal(((short)0, 3, 3L), partition.ProducerInfo(9));
    }

    private static async Task Append(DataBroker broker, string topic) =>
        Assert.Equal(ErrorCode.None, (await broker.Replicas.AppendAsync(topic, 0, Wire.Batch(), CancellationToken.None)).Error);
}
