using System.Buffers.Binary;
using Tributary.Protocol;
using Tributary.Protocol.Checksums;
using Tributary.Protocol.Messages;
using Tributary.Protocol.Primitives;
using Tributary.Protocol.Records;
using Xunit;

namespace Tributary.Broker.Tests.Data;

public sealed class ProduceTests
{
    private const short Version = 11;

    [Theory]
    [InlineData((short)1)]
    [InlineData((short)-1)]
    public async Task AcksOneAndAllAssignConsecutiveOffsets(short acks)
    {
        await using var broker = DataBroker.Start();
        broker.CreateTopic("t");
        var first = (await broker.SendAsync<ProduceResponse>(Wire.Produce("t", 0, Wire.Batch(3), acks), Version)).Single();
        var second = (await broker.SendAsync<ProduceResponse>(Wire.Produce("t", 0, Wire.Batch(2), acks), Version)).Single();

        Assert.Equal((short)ErrorCode.None, first.ErrorCode);
        Assert.Equal(0, first.BaseOffset);
        Assert.Equal(3, second.BaseOffset);
        Assert.Equal(0, second.LogStartOffset);
        Assert.Equal(-1, second.LogAppendTimeMs);
        Assert.Equal(5, broker.Partition("t").HighWatermark);
        Assert.Equal(5, broker.Metrics.MessagesIn.WithLabels().Value);
        Assert.True(broker.Metrics.TopicBytesIn.WithLabels("t").Value > 0);
    }

    [Fact]
    public async Task AcksZeroSendsNoResponseButAppends()
    {
        await using var broker = DataBroker.Start();
        broker.CreateTopic("t");
        var (_, pending) = broker.Dispatch(Wire.Produce("t", 0, Wire.Batch(2), acks: 0), Version);

        Assert.Null(await pending);
        Assert.Equal(2, broker.Partition("t").LogEndOffset);
    }

    [Fact]
    public async Task AcksZeroFailureClosesTheConnection()
    {
        await using var broker = DataBroker.Start();
        var (_, pending) = broker.Dispatch(Wire.Produce("missing", 0, Wire.Batch(), acks: 0), Version);

        await Assert.ThrowsAsync<ProtocolException>(async () => await pending);
    }

    [Theory]
    [InlineData((short)2)]
    [InlineData((short)-2)]
    [InlineData((short)5)]
    public async Task InvalidAcksIsRejected(short acks)
    {
        await using var broker = DataBroker.Start();
        broker.CreateTopic("t");
        var response = (await broker.SendAsync<ProduceResponse>(Wire.Produce("t", 0, Wire.Batch(), acks), Version)).Single();

        Assert.Equal((short)ErrorCode.InvalidRequiredAcks, response.ErrorCode);
        Assert.Equal(0, broker.Partition("t").LogEndOffset);
    }

    [Theory]
    [InlineData((short)0)]
    [InlineData((short)2)]
    public async Task OldMessageFormatVersionsAreParsedAndAnsweredUnsupported(short version)
    {
        await using var broker = DataBroker.Start();
        broker.CreateTopic("t");
        var response = (await broker.SendAsync<ProduceResponse>(Wire.Produce("t", 0, Wire.Batch()), version)).Single();

        Assert.Equal((short)ErrorCode.UnsupportedVersion, response.ErrorCode);
        Assert.Equal(0, broker.Partition("t").LogEndOffset);
    }

    [Fact]
    public async Task PartitionErrorsAreReportedPerPartition()
    {
        await using var broker = DataBroker.Start();
        broker.CreateTopic("t", partitions: 1);
        broker.Metadata.Publish(broker.Metadata.Current.WithTopic("elsewhere", leader: 7, isr: [7]));
        broker.Metadata.Publish(broker.Metadata.Current.WithTopic("__consumer_offsets"));

        Assert.Equal((short)ErrorCode.UnknownTopicOrPartition, (await Produce(broker, "missing", Wire.Batch())).ErrorCode);
        Assert.Equal((short)ErrorCode.UnknownTopicOrPartition, (await Produce(broker, "t", Wire.Batch(), partition: 3)).ErrorCode);
        var notLeader = await Produce(broker, "elsewhere", Wire.Batch());
        Assert.Equal((short)ErrorCode.NotLeaderOrFollower, notLeader.ErrorCode);
        Assert.Equal(7, notLeader.CurrentLeader.LeaderId);
        Assert.Equal((short)ErrorCode.InvalidTopicException, (await Produce(broker, "__consumer_offsets", Wire.Batch())).ErrorCode);
        Assert.Equal(0, broker.Partition("t").LogEndOffset);
    }

    [Fact]
    public async Task InvalidBatchesGetTheValidatorsErrorCode()
    {
        await using var broker = DataBroker.Start();
        broker.CreateTopic("t", configs: new() { ["max.message.bytes"] = "200" });

        var corrupt = Wire.Batch();
        corrupt[^1] ^= 0xFF;
        Assert.Equal((short)ErrorCode.CorruptMessage, (await Produce(broker, "t", corrupt)).ErrorCode);
        Assert.Equal((short)ErrorCode.MessageTooLarge, (await Produce(broker, "t", Wire.Batch(records: 10, valueSize: 50))).ErrorCode);
        Assert.Equal((short)ErrorCode.InvalidRecord, (await Produce(broker, "t", [])).ErrorCode);
        Assert.Equal((short)ErrorCode.InvalidRecord, (await Produce(broker, "t", [.. Wire.Batch(), .. Wire.Batch()])).ErrorCode);
        var zstd = (await broker.SendAsync<ProduceResponse>(Wire.Produce("t", 0, WithCodec(Wire.Batch(), CompressionType.Zstd)), 6)).Single();
        Assert.Equal((short)ErrorCode.UnsupportedCompressionType, zstd.ErrorCode);
        Assert.Equal((short)ErrorCode.UnsupportedCompressionType, (await Produce(broker, "t", WithCodec(Wire.Batch(), (CompressionType)7))).ErrorCode);

        var invalid = await Produce(broker, "t", []);
        Assert.NotNull(invalid.ErrorMessage);
        Assert.Equal(0, broker.Partition("t").LogEndOffset);
        Assert.True(broker.Metrics.FailedProduceRequests.WithLabels().Value >= 6);
    }

    [Fact]
    public async Task TransactionalBatchesAreRejectedUntilTransactionsExist()
    {
        await using var broker = DataBroker.Start();
        broker.CreateTopic("t");
        var response = await Produce(broker, "t", Wire.Batch(producerId: 5, producerEpoch: 0, baseSequence: 0, transactional: true));

        Assert.Equal((short)ErrorCode.InvalidTxnState, response.ErrorCode);
    }

    [Fact]
    public async Task AcksAllNeedsMinInsyncReplicas()
    {
        await using var broker = DataBroker.Start();
        broker.CreateTopic("t", configs: new() { ["min.insync.replicas"] = "2" });

        Assert.Equal((short)ErrorCode.NotEnoughReplicas, (await Produce(broker, "t", Wire.Batch(), acks: -1)).ErrorCode);
        Assert.Equal((short)ErrorCode.None, (await Produce(broker, "t", Wire.Batch(), acks: 1)).ErrorCode);
    }

    [Fact]
    public async Task LogAppendTimeTopicsReturnTheAppendTime()
    {
        await using var broker = DataBroker.Start();
        broker.CreateTopic("t", configs: new() { ["message.timestamp.type"] = "LogAppendTime" });
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var response = await Produce(broker, "t", Wire.Batch(timestamp: 1000));

        Assert.True(response.LogAppendTimeMs >= before);
    }

    [Fact]
    public async Task FlushMessagesOneSyncsBeforeAcknowledging()
    {
        await using var broker = DataBroker.Start();
        broker.CreateTopic("t", configs: new() { ["flush.messages"] = "1" });
        await Produce(broker, "t", Wire.Batch(3));

        Assert.Equal(3, broker.Partition("t").Log.RecoveryPoint);
    }

    [Fact]
    public async Task IdempotentDuplicatesReturnTheOriginalOffsetAndAreStoredOnce()
    {
        await using var broker = DataBroker.Start();
        broker.CreateTopic("t");
        await Produce(broker, "t", Wire.Batch(2));
        var first = await Produce(broker, "t", Wire.Batch(3, producerId: 42, producerEpoch: 0, baseSequence: 0));
        var retry = await Produce(broker, "t", Wire.Batch(3, producerId: 42, producerEpoch: 0, baseSequence: 0));
        var next = await Produce(broker, "t", Wire.Batch(1, producerId: 42, producerEpoch: 0, baseSequence: 3));

        Assert.Equal(2, first.BaseOffset);
        Assert.Equal((short)ErrorCode.None, retry.ErrorCode);
        Assert.Equal(2, retry.BaseOffset);
        Assert.Equal(5, next.BaseOffset);
        Assert.Equal(6, broker.Partition("t").LogEndOffset);
    }

    [Fact]
    public async Task SequenceGapsAndOldEpochsAreRejected()
    {
        await using var broker = DataBroker.Start();
        broker.CreateTopic("t");
        await Produce(broker, "t", Wire.Batch(2, producerId: 42, producerEpoch: 1, baseSequence: 0));

        Assert.Equal((short)ErrorCode.OutOfOrderSequenceNumber, (await Produce(broker, "t", Wire.Batch(1, producerId: 42, producerEpoch: 1, baseSequence: 5))).ErrorCode);
        Assert.Equal((short)ErrorCode.InvalidProducerEpoch, (await Produce(broker, "t", Wire.Batch(1, producerId: 42, producerEpoch: 0, baseSequence: 2))).ErrorCode);
        Assert.Equal((short)ErrorCode.OutOfOrderSequenceNumber, (await Produce(broker, "t", Wire.Batch(1, producerId: 42, producerEpoch: 2, baseSequence: 1))).ErrorCode);
        Assert.Equal((short)ErrorCode.None, (await Produce(broker, "t", Wire.Batch(1, producerId: 42, producerEpoch: 2, baseSequence: 0))).ErrorCode);
        Assert.Equal((short)ErrorCode.InvalidRecord, (await Produce(broker, "t", Wire.Batch(1, producerId: 43, producerEpoch: 0, baseSequence: -1))).ErrorCode);
        Assert.Equal(3, broker.Partition("t").LogEndOffset);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ProducerStateSurvivesARestart(bool keepSnapshot)
    {
        var broker = DataBroker.Start();
        try
        {
            broker.CreateTopic("t");
            await Produce(broker, "t", Wire.Batch(2, producerId: 42, producerEpoch: 0, baseSequence: 0));
            await Produce(broker, "t", Wire.Batch(2, producerId: 42, producerEpoch: 0, baseSequence: 2));
            var directory = broker.Partition("t").Log.Directory;
            broker = await broker.RestartAsync(() =>
            {
                Assert.NotEmpty(Directory.GetFiles(directory, "*.snapshot"));
                if (!keepSnapshot)
                {
                    // Without a snapshot the state is rebuilt from the batch headers in the log.
                    foreach (var file in Directory.GetFiles(directory, "*.snapshot"))
                    {
                        File.Delete(file);
                    }
                }
            });

            var retry = await Produce(broker, "t", Wire.Batch(2, producerId: 42, producerEpoch: 0, baseSequence: 2));
            var gap = await Produce(broker, "t", Wire.Batch(1, producerId: 42, producerEpoch: 0, baseSequence: 7));
            var next = await Produce(broker, "t", Wire.Batch(1, producerId: 42, producerEpoch: 0, baseSequence: 4));

            Assert.Equal(2, retry.BaseOffset);
            Assert.Equal((short)ErrorCode.OutOfOrderSequenceNumber, gap.ErrorCode);
            Assert.Equal(4, next.BaseOffset);
            Assert.Equal(5, broker.Partition("t").LogEndOffset);
        }
        finally
        {
            await broker.DisposeAsync();
        }
    }

    /// <summary>Marks a batch as compressed with <paramref name="codec"/> (contents unchanged) and fixes its CRC.</summary>
    private static byte[] WithCodec(byte[] batch, CompressionType codec)
    {
        BinaryPrimitives.WriteInt16BigEndian(batch.AsSpan(RecordBatchHeader.AttributesOffset), (short)codec);
        BinaryPrimitives.WriteUInt32BigEndian(batch.AsSpan(RecordBatchHeader.CrcOffset), Crc32C.Compute(batch.AsSpan(RecordBatchHeader.AttributesOffset)));
        return batch;
    }

    private static async Task<ProduceResponse.PartitionProduceResponse> Produce(DataBroker broker, string topic, byte[] records, int partition = 0, short acks = 1) =>
        (await broker.SendAsync<ProduceResponse>(Wire.Produce(topic, partition, records, acks), Version)).Single();
}
