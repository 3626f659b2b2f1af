using Tributary.Protocol;

namespace Tributary.Client.Cluster;

/// <summary>A topic's partitions, ordered by partition index.</summary>
public sealed record TopicMetadata(string Name, Guid TopicId, bool IsInternal, ErrorCode Error, IReadOnlyList<PartitionMetadata> Partitions);
