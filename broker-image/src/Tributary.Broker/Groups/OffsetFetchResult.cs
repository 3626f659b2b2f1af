using Tributary.Protocol;

namespace Tributary.Broker.Groups;

/// <summary>OffsetFetch response for one group.</summary>
public sealed record OffsetFetchResult(ErrorCode Error, IReadOnlyList<FetchedOffset> Partitions);
