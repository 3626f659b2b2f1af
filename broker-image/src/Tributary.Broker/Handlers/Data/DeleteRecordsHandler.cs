using Tributary.Broker.Metadata;
using Tributary.Broker.Network;
using Tributary.Broker.Partitions;
using Tributary.Broker.Requests;
using Tributary.Broker.Security;
using Tributary.Protocol;
using Tributary.Protocol.Acls;
using Tributary.Protocol.Messages;
using Tributary.Storage;
using static Tributary.Protocol.Messages.DeleteRecordsResponse;

namespace Tributary.Broker.Handlers.Data;

/// <summary>
/// DeleteRecords v0-2: moves each partition's log start offset up to the requested offset (-1:
/// the high watermark) and returns the new low watermark. Offsets past the high watermark are
/// OFFSET_OUT_OF_RANGE; compact-only topics refuse with POLICY_VIOLATION, as in Kafka.
/// </summary>
/// <remarks>
/// Kafka answers once every replica's log start has moved; with this broker the only replica,
/// that is at once.
/// </remarks>
public sealed class DeleteRecordsHandler : RequestHandler<DeleteRecordsRequest, DeleteRecordsResponse>
{
    private readonly ReplicaManager _replicas;
    private readonly IMetadataView _metadata;
    private readonly RequestAuthorizer _authorizer;

    public DeleteRecordsHandler(ReplicaManager replicas, IMetadataView metadata, RequestAuthorizer? authorizer = null)
        : base(ApiKey.DeleteRecords, 0, 2)
    {
        ArgumentNullException.ThrowIfNull(replicas);
        ArgumentNullException.ThrowIfNull(metadata);
        _replicas = replicas;
        _metadata = metadata;
        _authorizer = authorizer ?? RequestAuthorizer.Disabled;
    }

    protected override ValueTask<DeleteRecordsResponse?> HandleAsync(RequestContext context, RequestHeader header, DeleteRecordsRequest request, CancellationToken ct)
    {
        var image = _metadata.Current;
        var response = new DeleteRecordsResponse();
        foreach (var topic in request.Topics)
        {
            var topicResult = new DeleteRecordsTopicResult { Name = topic.Name };
            response.Topics.Add(topicResult);
            var authorized = _authorizer.AuthorizeTopic(context, AclOperation.Delete, topic.Name);
            foreach (var p in topic.Partitions)
            {
                var (error, lowWatermark) = authorized ? Delete(image, topic.Name, p.PartitionIndex, p.Offset) : (ErrorCode.TopicAuthorizationFailed, -1);
                topicResult.Partitions.Add(new DeleteRecordsPartitionResult { PartitionIndex = p.PartitionIndex, ErrorCode = (short)error, LowWatermark = lowWatermark });
            }
        }

        return ValueTask.FromResult<DeleteRecordsResponse?>(response);
    }

    private (ErrorCode Error, long LowWatermark) Delete(MetadataImage image, string topic, int index, long offset)
    {
        if (image.Partition(topic, index) is null)
        {
            return (ErrorCode.UnknownTopicOrPartition, -1);
        }

        var partition = _replicas.GetPartition(topic, index);
        if (partition is null || !partition.IsLeader)
        {
            return (ErrorCode.NotLeaderOrFollower, -1);
        }

        if (!partition.Log.Config.CleanupPolicy.HasFlag(CleanupPolicy.Delete))
        {
            return (ErrorCode.PolicyViolation, -1);
        }

        return partition.DeleteRecordsBefore(offset);
    }
}
