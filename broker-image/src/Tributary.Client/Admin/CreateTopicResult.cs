using Tributary.Protocol;

namespace Tributary.Client.Admin;

/// <summary>CreateTopics' answer for one topic; partitions and replication factor are -1 when the broker does not say.</summary>
public sealed record CreateTopicResult(ErrorCode Error, string? ErrorMessage, Guid TopicId, int NumPartitions, short ReplicationFactor)
{
    public bool IsSuccess => Error == ErrorCode.None;
}
