namespace Tributary.Storage;

/// <summary>A ListOffsets answer: an offset and the timestamp found there (-1 for earliest/latest).</summary>
public readonly record struct TimestampAndOffset(long Timestamp, long Offset);
