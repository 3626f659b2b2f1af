using Tributary.Broker.Coordination;
using Tributary.Broker.Metadata;
using Tributary.Broker.Network;
using Tributary.Broker.Requests;
using Tributary.Broker.Security;
using Tributary.Protocol;
using Tributary.Protocol.Acls;
using Tributary.Protocol.Messages;
using Tributary.Storage;

namespace Tributary.Broker.Handlers.Groups;

/// <summary>
/// OffsetDelete v0 (KIP-496): deletes a group's committed offsets. Partitions that do not exist get
/// UNKNOWN_TOPIC_OR_PARTITION; a group-level error (GROUP_ID_NOT_FOUND, NON_EMPTY_GROUP,
/// NOT_COORDINATOR...) is the top-level code, and then only those partitions are listed, as Kafka merges them.
/// </summary>
public sealed class OffsetDeleteHandler : RequestHandler<OffsetDeleteRequest, OffsetDeleteResponse>
{
    private readonly GroupCoordinatorService _groups;
    private readonly IMetadataView _metadata;
    private readonly RequestAuthorizer _authorizer;

    public OffsetDeleteHandler(GroupCoordinatorService groups, IMetadataView metadata, RequestAuthorizer? authorizer = null)
        : base(ApiKey.OffsetDelete, 0, 0)
    {
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentNullException.ThrowIfNull(metadata);
        _groups = groups;
        _metadata = metadata;
        _authorizer = authorizer ?? RequestAuthorizer.Disabled;
    }

    protected override async ValueTask<OffsetDeleteResponse?> HandleAsync(RequestContext context, RequestHeader header, OffsetDeleteRequest request, CancellationToken ct)
    {
        var image = _metadata.Current;

        // Kafka: DELETE on the group, then READ on each topic.
        if (!_authorizer.AuthorizeGroup(context, AclOperation.Delete, request.GroupId))
        {
            return new OffsetDeleteResponse { ErrorCode = (short)ErrorCode.GroupAuthorizationFailed };
        }

        var denied = request.Topics.Select(t => t.Name).Where(t => !_authorizer.AuthorizeTopic(context, AclOperation.Read, t)).ToHashSet(StringComparer.Ordinal);
        var known = new List<TopicPartition>();
        foreach (var topic in request.Topics)
        {
            foreach (var p in topic.Partitions)
            {
                if (!denied.Contains(topic.Name) && image.Partition(topic.Name, p.PartitionIndex) is not null)
                {
                    known.Add(new TopicPartition(topic.Name, p.PartitionIndex));
                }
            }
        }

        var result = await _groups.DeleteOffsetsAsync(request.GroupId, known, ct).ConfigureAwait(false);
        var groupFailed = result.Error != ErrorCode.None;
        var response = new OffsetDeleteResponse { ErrorCode = (short)result.Error };
        var next = 0;
        foreach (var topic in request.Topics)
        {
            var responseTopic = new OffsetDeleteResponse.OffsetDeleteResponseTopic { Name = topic.Name };
            foreach (var p in topic.Partitions)
            {
                ErrorCode error;
                if (denied.Contains(topic.Name))
                {
                    error = ErrorCode.TopicAuthorizationFailed;
                }
                else if (image.Partition(topic.Name, p.PartitionIndex) is null)
                {
                    error = ErrorCode.UnknownTopicOrPartition;
                }
                else if (groupFailed)
                {
                    continue;
                }
                else
                {
                    error = result.Partitions[next++].Error;
                }

                responseTopic.Partitions.Add(new OffsetDeleteResponse.OffsetDeleteResponsePartition { PartitionIndex = p.PartitionIndex, ErrorCode = (short)error });
            }

            if (responseTopic.Partitions.Count > 0)
            {
                response.Topics.Add(responseTopic);
            }
        }

        return response;
    }
}
