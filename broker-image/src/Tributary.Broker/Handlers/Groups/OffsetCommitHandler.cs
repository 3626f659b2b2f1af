using Tributary.Broker.Coordination;
using Tributary.Broker.Groups;
using Tributary.Broker.Metadata;
using Tributary.Broker.Network;
using Tributary.Broker.Requests;
using Tributary.Broker.Security;
using Tributary.Protocol;
using Tributary.Protocol.Acls;
using Tributary.Protocol.Messages;
using CoreOffsetCommitRequest = Tributary.Broker.Groups.OffsetCommitRequest;

namespace Tributary.Broker.Handlers.Groups;

/// <summary>
/// OffsetCommit v0-9 (classic groups: v9's member epoch is the generation). Partitions that do not
/// exist get UNKNOWN_TOPIC_OR_PARTITION; the rest are committed together and answered once the
/// commit is durable in <c>__consumer_offsets</c>. Metadata over <c>offset.metadata.max.bytes</c>
/// gets OFFSET_METADATA_TOO_LARGE. v2-4's retention time and v1's commit timestamp are accepted and
/// ignored: offsets expire by <c>offsets.retention.minutes</c> (KIP-211).
/// </summary>
public sealed class OffsetCommitHandler : RequestHandler<Tributary.Protocol.Messages.OffsetCommitRequest, OffsetCommitResponse>
{
    private readonly GroupCoordinatorService _groups;
    private readonly IMetadataView _metadata;
    private readonly RequestAuthorizer _authorizer;

    public OffsetCommitHandler(GroupCoordinatorService groups, IMetadataView metadata, RequestAuthorizer? authorizer = null)
        : base(ApiKey.OffsetCommit, 0, 9)
    {
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentNullException.ThrowIfNull(metadata);
        _groups = groups;
        _metadata = metadata;
        _authorizer = authorizer ?? RequestAuthorizer.Disabled;
    }

    protected override async ValueTask<OffsetCommitResponse?> HandleAsync(RequestContext context, RequestHeader header, Tributary.Protocol.Messages.OffsetCommitRequest request, CancellationToken ct)
    {
        var version = header.RequestApiVersion;
        var image = _metadata.Current;

        // Kafka: READ on the group, else every partition fails; then READ on each topic.
        if (!_authorizer.AuthorizeGroup(context, AclOperation.Read, request.GroupId))
        {
            return Answer(request, ErrorCode.GroupAuthorizationFailed);
        }

        var denied = DeniedTopics(context, request);
        var entries = new List<OffsetCommitEntry>();
        foreach (var topic in request.Topics)
        {
            foreach (var p in topic.Partitions)
            {
                if (denied?.Contains(topic.Name) != true && image.Partition(topic.Name, p.PartitionIndex) is not null)
                {
                    entries.Add(new OffsetCommitEntry(topic.Name, p.PartitionIndex, p.CommittedOffset,
                        version >= 6 ? p.CommittedLeaderEpoch : -1, p.CommittedMetadata));
                }
            }
        }

        // As in Kafka, a request with no existing partition never reaches the coordinator.
        IReadOnlyList<PartitionResult> results = [];
        if (entries.Count > 0)
        {
            var commit = new CoreOffsetCommitRequest(
                request.GroupId,
                version >= 1 ? request.GenerationIdOrMemberEpoch : -1,
                version >= 1 ? request.MemberId : string.Empty,
                version >= 7 ? request.GroupInstanceId : null,
                entries);
            results = await _groups.CommitOffsetsAsync(commit, ct).ConfigureAwait(false);
        }

        // Results come back in entry order; walk the request again to answer in request order.
        var response = new OffsetCommitResponse();
        var next = 0;
        foreach (var topic in request.Topics)
        {
            var responseTopic = new OffsetCommitResponse.OffsetCommitResponseTopic { Name = topic.Name };
            foreach (var p in topic.Partitions)
            {
                var error = denied?.Contains(topic.Name) == true ? ErrorCode.TopicAuthorizationFailed
                    : image.Partition(topic.Name, p.PartitionIndex) is null ? ErrorCode.UnknownTopicOrPartition
                    : results[next++].Error;
                responseTopic.Partitions.Add(new OffsetCommitResponse.OffsetCommitResponsePartition
                {
                    PartitionIndex = p.PartitionIndex,
                    ErrorCode = (short)error,
                });
            }

            response.Topics.Add(responseTopic);
        }

        return response;
    }

    /// <summary>Topics of the request the client may not READ (null when none, always without an authorizer).</summary>
    private HashSet<string>? DeniedTopics(in RequestContext context, Tributary.Protocol.Messages.OffsetCommitRequest request)
    {
        if (!_authorizer.Enabled)
        {
            return null;
        }

        HashSet<string>? denied = null;
        foreach (var topic in request.Topics)
        {
            if (!_authorizer.AuthorizeTopic(context, AclOperation.Read, topic.Name))
            {
                (denied ??= new HashSet<string>(StringComparer.Ordinal)).Add(topic.Name);
            }
        }

        return denied;
    }

    private static OffsetCommitResponse Answer(Tributary.Protocol.Messages.OffsetCommitRequest request, ErrorCode error) => new()
    {
        Topics = [.. request.Topics.Select(t => new OffsetCommitResponse.OffsetCommitResponseTopic
        {
            Name = t.Name,
            Partitions = [.. t.Partitions.Select(p => new OffsetCommitResponse.OffsetCommitResponsePartition { PartitionIndex = p.PartitionIndex, ErrorCode = (short)error })],
        })],
    };
}
