namespace Tributary.Broker.Groups;

/// <summary>A committed offset as stored in OffsetCommitValue (v3 fields).</summary>
public sealed record CommittedOffset(long Offset, int LeaderEpoch, string Metadata, long CommitTimestamp);
