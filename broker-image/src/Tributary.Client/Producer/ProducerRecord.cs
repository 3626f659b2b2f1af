using Tributary.Protocol.Records;

namespace Tributary.Client.Producer;

/// <summary>A record to send. Partition -1 lets the partitioner choose; Timestamp null uses the current time.</summary>
public sealed record ProducerRecord(string Topic, byte[]? Key, byte[]? Value)
{
    public int Partition { get; init; } = -1;

    public long? Timestamp { get; init; }

    public IReadOnlyList<RecordHeaderData> Headers { get; init; } = [];
}
