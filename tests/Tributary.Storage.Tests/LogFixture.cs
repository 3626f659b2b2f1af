namespace Tributary.Storage.Tests;

/// <summary>Helpers shared by tests: open a log in a temp dir, append simple batches, read everything.</summary>
public static class LogFixture
{
    public static readonly TopicPartition Tp = new("orders", 0);

    public static PartitionLog Open(string dir, LogConfig? config = null, TimeProvider? time = null, long recoveryPoint = 0, long logStart = 0) =>
        PartitionLog.Open(dir, Tp, config ?? LogConfig.Default, recoveryPoint, logStart, time);

    /// <summary>Appends one batch of <paramref name="count"/> records; returns the result.</summary>
    public static AppendResult AppendSimple(PartitionLog log, int count, long timestamp = 1_000, int keys = int.MaxValue, string prefix = "v") =>
        log.Append(TestBatches.Simple(count, timestamp, prefix, keys));

    public static AppendResult AppendRecords(PartitionLog log, params TestRecord[] records) => log.Append(TestBatches.Build(records));

    /// <summary>Reads from <paramref name="from"/> to the end, batch by batch; returns every record.</summary>
    public static List<TestRecord> ReadAll(PartitionLog log, long from = -1)
    {
        var result = new List<TestRecord>();
        var offset = from < 0 ? log.LogStartOffset : from;
        while (offset < log.LogEndOffset)
        {
            using var read = log.Read(offset, 1 << 20);
            Assert.Equal(ReadStatus.Ok, read.Status);
            if (read.Records.IsEmpty)
            {
                break;
            }

            var batches = TestBatches.Split(read.Records.Span);
            result.AddRange(TestBatches.Records(read.Records.Span).Where(r => r.Offset >= offset));
            offset = TestBatches.LastOffset(batches[^1]) + 1;
        }

        return result;
    }
}
