using Tributary.Protocol;

namespace Tributary.Broker.Groups;

/// <summary>OffsetDelete response: a group-level error, or per-partition errors.</summary>
public sealed record OffsetDeleteResult(ErrorCode Error, IReadOnlyList<PartitionResult> Partitions);
