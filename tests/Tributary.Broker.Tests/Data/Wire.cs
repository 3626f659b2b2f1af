using System.Text;
using Tributary.Protocol.Messages;
using Tributary.Protocol.Records;
using Xunit;

namespace Tributary.Broker.Tests.Data;

/// <summary>Request builders and response readers for the data-path tests.</summary>
internal static class Wire
{
    public static byte[] Batch(int records = 1, long producerId = -1, short producerEpoch = -1, int baseSequence = -1, int valueSize = 16,
        long timestamp = 1_700_000_000_000, CompressionType compression = CompressionType.None, bool transactional = false, string valuePrefix = "v")
    {
        using var builder = new RecordBatchBuilder
        {
            ProducerId = producerId,
            ProducerEpoch = producerEpoch,
            BaseSequence = baseSequence,
            Compression = compression,
            IsTransactional = transactional,
        };
        for (var i = 0; i < records; i++)
        {
            var value = Encoding.ASCII.GetBytes((valuePrefix + i).PadRight(valueSize, '.'));
            builder.Append(timestamp + i, null, value);
        }

        return builder.ToArray();
    }

    public static ProduceRequest Produce(string topic, int partition, byte[]? records, short acks = 1, int timeoutMs = 5000) => new()
    {
        Acks = acks,
        TimeoutMs = timeoutMs,
        TopicData =
        [
            new ProduceRequest.TopicProduceData
            {
                Name = topic,
                PartitionData = [new ProduceRequest.PartitionProduceData { Index = partition, Records = records }],
            },
        ],
    };

    public static ProduceResponse.PartitionProduceResponse Single(this ProduceResponse response) =>
        Assert.Single(Assert.Single(response.Responses).PartitionResponses);

    public static FetchRequest Fetch(string topic, int partition, long offset, int maxWaitMs = 0, int minBytes = 0, int maxBytes = 1 << 20,
        int partitionMaxBytes = 1 << 20, sbyte isolation = 0) => new()
    {
        MaxWaitMs = maxWaitMs,
        MinBytes = minBytes,
        MaxBytes = maxBytes,
        IsolationLevel = isolation,
        Topics = [FetchTopic(topic, (partition, offset, partitionMaxBytes))],
    };

    public static FetchRequest.FetchTopic FetchTopic(string topic, params (int Partition, long Offset, int MaxBytes)[] partitions) => new()
    {
        Topic = topic,
        Partitions = [.. partitions.Select(p => new FetchRequest.FetchPartition { Partition = p.Partition, FetchOffset = p.Offset, PartitionMaxBytes = p.MaxBytes })],
    };

    public static FetchResponse.PartitionData Single(this FetchResponse response) =>
        Assert.Single(Assert.Single(response.Responses).Partitions);

    /// <summary>The (base offset, last offset, record count) of each batch in a records field.</summary>
    public static List<(long BaseOffset, long LastOffset, int Records)> Batches(ReadOnlyMemory<byte>? records)
    {
        var list = new List<(long, long, int)>();
        var bytes = records ?? ReadOnlyMemory<byte>.Empty;
        for (var position = 0; position < bytes.Length;)
        {
            var batch = bytes.Span[position..];
            var size = RecordBatchHeader.TotalSize(batch);
            Assert.True(RecordBatchValidator.Validate(batch[..size]).IsValid, "fetched batches are intact");
            list.Add((RecordBatchHeader.BaseOffset(batch), RecordBatchHeader.LastOffset(batch), RecordBatchHeader.RecordCount(batch)));
            position += size;
        }

        return list;
    }
}
