namespace Tributary.Client;

/// <summary>A committed offset; Offset is -1 when the group has none for the partition.</summary>
public sealed record OffsetAndMetadata(long Offset, string? Metadata = null, int LeaderEpoch = -1);
