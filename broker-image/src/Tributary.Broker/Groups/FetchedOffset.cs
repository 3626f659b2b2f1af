using Tributary.Protocol;

namespace Tributary.Broker.Groups;

/// <summary>One partition of an OffsetFetch response; offset -1 and metadata "" when nothing is committed.</summary>
public sealed record FetchedOffset(string Topic, int Partition, long Offset, int LeaderEpoch, string Metadata, ErrorCode Error);
