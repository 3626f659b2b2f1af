using Tributary.Protocol;

namespace Tributary.Client.Admin;

/// <summary>ListOffsets' answer for one partition (offset -1 when no record matches a timestamp).</summary>
public sealed record ListOffsetsResult(ErrorCode Error, long Offset, long Timestamp, int LeaderEpoch);
