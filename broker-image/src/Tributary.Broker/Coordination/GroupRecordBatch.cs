using Tributary.Broker.Groups;
using Tributary.Protocol.Records;

namespace Tributary.Broker.Coordination;

/// <summary>Packs the records of one coordinator operation into a single uncompressed v2 batch.</summary>
public static class GroupRecordBatch
{
    /// <summary>
    /// One batch for all <paramref name="records"/>, so the operation is appended atomically
    /// (offsets are assigned by the log; a null value is written as a tombstone).
    /// </summary>
    public static byte[] Build(IReadOnlyList<GroupRecord> records, long timestampMs)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentOutOfRangeException.ThrowIfZero(records.Count);
        using var builder = new RecordBatchBuilder();
        foreach (var record in records)
        {
            builder.Append(timestampMs, record.Key, record.Value);
        }

        return builder.ToArray();
    }
}
