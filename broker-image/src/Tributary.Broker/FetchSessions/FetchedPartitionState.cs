using Tributary.Protocol;

namespace Tributary.Broker.FetchSessions;

/// <summary>
/// What a fetch response reported for one partition. An incremental fetch response includes a
/// partition only when this differs from what the session last sent, or it has records, an error
/// or (for a follower) a diverging epoch.
/// </summary>
public readonly record struct FetchedPartitionState(ErrorCode Error, long HighWatermark, long LastStableOffset, long LogStartOffset, bool HasRecords, bool Diverging = false);
