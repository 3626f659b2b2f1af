using Tributary.Protocol;

namespace Tributary.Broker.Groups;

/// <summary>A per-partition error code (OffsetCommit, OffsetDelete responses).</summary>
public sealed record PartitionResult(string Topic, int Partition, ErrorCode Error);
