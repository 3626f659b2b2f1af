using Tributary.Broker.Partitions;
using Tributary.Protocol;

namespace Tributary.Broker.Handlers.Data;

/// <summary>
/// One partition's part of a fetch: the partition read (null on error), its error, the offsets
/// reported, the records copied out of the log, the byte counter taken before reading (what a
/// waiting fetch measures new data against: committed bytes for consumers, appended bytes for
/// followers), and for a follower whose log diverges, where it must truncate to.
/// </summary>
internal readonly record struct PartitionRead(
    Partition? Partition,
    ErrorCode Error,
    long HighWatermark,
    long LastStableOffset,
    long LogStartOffset,
    ReadOnlyMemory<byte> Records,
    long CommittedBytesBefore,
    DivergingEpoch? Diverging = null)
{
    public static PartitionRead Failed(ErrorCode error, Partition? partition = null) =>
        new(partition, error, -1, -1, -1, ReadOnlyMemory<byte>.Empty, 0);
}
