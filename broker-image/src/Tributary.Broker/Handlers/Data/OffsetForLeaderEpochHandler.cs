using Tributary.Broker.Metadata;
using Tributary.Broker.Network;
using Tributary.Broker.Partitions;
using Tributary.Broker.Requests;
using Tributary.Broker.Security;
using Tributary.Protocol;
using Tributary.Protocol.Acls;
using Tributary.Protocol.Messages;
using static Tributary.Protocol.Messages.OffsetForLeaderEpochResponse;

namespace Tributary.Broker.Handlers.Data;

/// <summary>
/// OffsetForLeaderEpoch v2-4 (KIP-101/279/320): for each partition, the largest leader epoch
/// &lt;= the requested one this leader knows and the end offset of that epoch in its log. Followers
/// use it to find where to truncate when Fetch cannot tell them (diverging epochs need v12);
/// consumers use it to detect log truncation after an unclean leader change. Only the leader
/// answers, except for the debugging replica id -2 (Kafka's rule); CurrentLeaderEpoch is fenced
/// like Fetch does.
/// </summary>
/// <remarks>v0-1 were deprecated and removed in Kafka 4.0.</remarks>
public sealed class OffsetForLeaderEpochHandler : RequestHandler<OffsetForLeaderEpochRequest, OffsetForLeaderEpochResponse>
{
    private const int DebuggingReplicaId = -2;

    private readonly ReplicaManager _replicas;
    private readonly IMetadataView _metadata;
    private readonly RequestAuthorizer _authorizer;

    public OffsetForLeaderEpochHandler(ReplicaManager replicas, IMetadataView metadata, RequestAuthorizer? authorizer = null)
        : base(ApiKey.OffsetForLeaderEpoch, 2, 4)
    {
        ArgumentNullException.ThrowIfNull(replicas);
        ArgumentNullException.ThrowIfNull(metadata);
        _replicas = replicas;
        _metadata = metadata;
        _authorizer = authorizer ?? RequestAuthorizer.Disabled;
    }

    protected override ValueTask<OffsetForLeaderEpochResponse?> HandleAsync(RequestContext context, RequestHeader header, OffsetForLeaderEpochRequest request, CancellationToken ct)
    {
        var image = _metadata.Current;
        var replicaId = header.RequestApiVersion >= 3 ? request.ReplicaId : -1;
        var response = new OffsetForLeaderEpochResponse();

        // Kafka: replicas (CLUSTER_ACTION) may ask about any topic, others need DESCRIBE on it.
        var clusterAction = _authorizer.AuthorizeCluster(context, AclOperation.ClusterAction);
        foreach (var topic in request.Topics)
        {
            var result = new OffsetForLeaderTopicResult { Topic = topic.Topic };
            response.Topics.Add(result);
            var authorized = clusterAction || _authorizer.AuthorizeTopic(context, AclOperation.Describe, topic.Topic);
            foreach (var p in topic.Partitions)
            {
                result.Partitions.Add(authorized ? Answer(image, topic.Topic, p, replicaId) : Error(p.Partition, ErrorCode.TopicAuthorizationFailed));
            }
        }

        return ValueTask.FromResult<OffsetForLeaderEpochResponse?>(response);
    }

    private EpochEndOffset Answer(MetadataImage image, string topic, OffsetForLeaderEpochRequest.OffsetForLeaderPartition request, int replicaId)
    {
        if (image.Partition(topic, request.Partition) is null)
        {
            return Error(request.Partition, ErrorCode.UnknownTopicOrPartition);
        }

        var partition = _replicas.GetPartition(topic, request.Partition);
        if (partition is null || partition.IsClosed || (!partition.IsLeader && replicaId != DebuggingReplicaId))
        {
            return Error(request.Partition, ErrorCode.NotLeaderOrFollower);
        }

        if (request.CurrentLeaderEpoch >= 0 && request.CurrentLeaderEpoch != partition.LeaderEpoch)
        {
            return Error(request.Partition, request.CurrentLeaderEpoch < partition.LeaderEpoch ? ErrorCode.FencedLeaderEpoch : ErrorCode.UnknownLeaderEpoch);
        }

        var end = partition.EndOffsetForEpoch(request.LeaderEpoch);
        return new EpochEndOffset { Partition = request.Partition, LeaderEpoch = end.Epoch, EndOffset = end.StartOffset };
    }

    private static EpochEndOffset Error(int partition, ErrorCode error) =>
        new() { Partition = partition, ErrorCode = (short)error, LeaderEpoch = -1, EndOffset = -1 };
}
