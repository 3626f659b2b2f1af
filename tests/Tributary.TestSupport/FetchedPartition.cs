namespace Tributary.TestSupport;

/// <summary>One partition of a raw Fetch response: its error code, high watermark and records bytes.</summary>
public sealed record FetchedPartition(short ErrorCode, long HighWatermark, byte[] Records);
