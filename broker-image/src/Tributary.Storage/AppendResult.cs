namespace Tributary.Storage;

/// <summary>What an append wrote: the offsets assigned and the timestamps the broker reports back.</summary>
/// <param name="FirstOffset">Base offset of the first batch appended.</param>
/// <param name="LastOffset">Last offset of the last batch appended.</param>
/// <param name="LogAppendTimeMs">The stamped append time for <c>LogAppendTime</c> topics, else -1.</param>
/// <param name="MaxTimestamp">Largest batch max timestamp appended.</param>
/// <param name="OffsetOfMaxTimestamp">Last offset of the batch holding <paramref name="MaxTimestamp"/>.</param>
/// <param name="LogStartOffset">The log start offset after the append.</param>
/// <param name="BatchCount">Batches appended.</param>
/// <param name="RecordCount">Records appended (sum of header record counts).</param>
/// <param name="Bytes">Bytes appended.</param>
public readonly record struct AppendResult(
    long FirstOffset,
    long LastOffset,
    long LogAppendTimeMs,
    long MaxTimestamp,
    long OffsetOfMaxTimestamp,
    long LogStartOffset,
    int BatchCount,
    long RecordCount,
    int Bytes);
