using Tributary.Broker.Coordination;
using Tributary.Broker.Groups;
using Tributary.Broker.Metadata;
using Tributary.Broker.Network;
using Tributary.Broker.Requests;
using Tributary.Protocol;
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

    public OffsetCommitHandler(GroupCoordinatorService groups, IMetadataView metadata)
        : base(ApiKey.OffsetCommit, 0, 9)
    {
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentNullException.ThrowIfNull(metadata);
        _groups = groups;
        _metadata = metadata;
    }

    protected override async ValueTask<OffsetCommitResponse?> HandleAsync(RequestContext context, RequestHeader header, Tributary.Protocol.Messages.OffsetCommitRequest request, CancellationToken ct)
    {
        var version = header.RequestApiVersion;
        var image = _metadata.Current;
        var entries = new List<OffsetCommitEntry>();
        foreach (var topic in request.Topics)
        {
            foreach (var p in topic.Partitions)
            {
                if (image.Partition(topic.Name, p.PartitionIndex) is not null)
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
                var error = image.Partition(topic.Name, p.PartitionIndex) is null
                    ? ErrorCode.UnknownTopicOrPartition
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
}
