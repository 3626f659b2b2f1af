using Tributary.Broker.Metadata;
using Tributary.Broker.Network;
using Tributary.Broker.Partitions;
using Tributary.Broker.Requests;
using Tributary.Broker.Security;
using Tributary.Protocol;
using Tributary.Protocol.Acls;
using Tributary.Protocol.Messages;
using Tributary.Storage;
using static Tributary.Protocol.Messages.ListOffsetsResponse;

namespace Tributary.Broker.Handlers.Data;

/// <summary>
/// ListOffsets v1-9: earliest (-2), latest (-1: the high watermark, or the last stable offset for
/// read_committed), max timestamp (-3, v7+), earliest local (-4, v8+: the log start, as nothing
/// is tiered), earliest pending upload (-5, v9+: none), or the first offset whose timestamp is
/// at least the one given. Lookups only see offsets a consumer could fetch.
/// </summary>
/// <remarks>
/// v0 (a list of segment offsets) is not served, as Kafka 4.0 removed it. OFFSET_NOT_AVAILABLE
/// answers clients while a new leader's high watermark is below the start of its term.
/// </remarks>
public sealed class ListOffsetsHandler : RequestHandler<ListOffsetsRequest, ListOffsetsResponse>
{
    private const long EarliestLocal = -4;
    private const long EarliestPendingUpload = -5;
    private const sbyte ReadCommitted = 1;

    private readonly ReplicaManager _replicas;
    private readonly IMetadataView _metadata;
    private readonly RequestAuthorizer _authorizer;

    public ListOffsetsHandler(ReplicaManager replicas, IMetadataView metadata, RequestAuthorizer? authorizer = null)
        : base(ApiKey.ListOffsets, 1, 9)
    {
        ArgumentNullException.ThrowIfNull(replicas);
        ArgumentNullException.ThrowIfNull(metadata);
        _replicas = replicas;
        _metadata = metadata;
        _authorizer = authorizer ?? RequestAuthorizer.Disabled;
    }

    protected override ValueTask<ListOffsetsResponse?> HandleAsync(RequestContext context, RequestHeader header, ListOffsetsRequest request, CancellationToken ct)
    {
        var image = _metadata.Current;
        var readCommitted = header.RequestApiVersion >= 2 && request.IsolationLevel == ReadCommitted;
        var response = new ListOffsetsResponse();
        var seen = new HashSet<(string, int)>();
        var duplicates = new HashSet<(string, int)>();
        foreach (var topic in request.Topics)
        {
            foreach (var p in topic.Partitions)
            {
                if (!seen.Add((topic.Name, p.PartitionIndex)))
                {
                    duplicates.Add((topic.Name, p.PartitionIndex));
                }
            }
        }

        foreach (var topic in request.Topics)
        {
            var topicResponse = new ListOffsetsTopicResponse { Name = topic.Name };
            response.Topics.Add(topicResponse);
            var authorized = _authorizer.AuthorizeTopic(context, AclOperation.Describe, topic.Name);
            foreach (var p in topic.Partitions)
            {
                topicResponse.Partitions.Add(!authorized ? Error(p.PartitionIndex, ErrorCode.TopicAuthorizationFailed)
                    : duplicates.Contains((topic.Name, p.PartitionIndex))
                    ? Error(p.PartitionIndex, ErrorCode.InvalidRequest)
                    : List(image, topic.Name, p, request.ReplicaId, readCommitted));
            }
        }

        return ValueTask.FromResult<ListOffsetsResponse?>(response);
    }

    private ListOffsetsPartitionResponse List(MetadataImage image, string topic, ListOffsetsRequest.ListOffsetsPartition request, int replicaId, bool readCommitted)
    {
        if (image.Partition(topic, request.PartitionIndex) is null)
        {
            return Error(request.PartitionIndex, ErrorCode.UnknownTopicOrPartition);
        }

        var partition = _replicas.GetPartition(topic, request.PartitionIndex);
        if (partition is null || !partition.IsLeader)
        {
            return Error(request.PartitionIndex, ErrorCode.NotLeaderOrFollower);
        }

        if (request.CurrentLeaderEpoch >= 0 && request.CurrentLeaderEpoch != partition.LeaderEpoch)
        {
            return Error(request.PartitionIndex, request.CurrentLeaderEpoch < partition.LeaderEpoch ? ErrorCode.FencedLeaderEpoch : ErrorCode.UnknownLeaderEpoch);
        }

        if (replicaId < 0 && partition.HighWatermark < partition.LeaderEpochStartOffset)
        {
            // KIP-207: a new leader does not know its final high watermark until the followers
            // caught up with its term; clients retry.
            return Error(request.PartitionIndex, ErrorCode.OffsetNotAvailable);
        }

        // Followers (replica id >= 0) may see the whole log; consumers only what is committed.
        var fetchable = replicaId >= 0 ? partition.LogEndOffset : readCommitted ? partition.LastStableOffset : partition.HighWatermark;
        var response = new ListOffsetsPartitionResponse { PartitionIndex = request.PartitionIndex, Timestamp = -1, Offset = -1, LeaderEpoch = -1 };
        switch (request.Timestamp)
        {
            case ListOffsetsTimestamp.Earliest or EarliestLocal:
                response.Offset = partition.LogStartOffset;
                response.LeaderEpoch = EpochAt(partition, response.Offset);
                break;
            case ListOffsetsTimestamp.Latest:
                response.Offset = fetchable;
                response.LeaderEpoch = partition.LeaderEpoch;
                break;
            case EarliestPendingUpload:
                break;
            default:
                if (partition.Log.FetchOffsetByTimestamp(request.Timestamp) is { } found && found.Offset < fetchable)
                {
                    response.Timestamp = found.Timestamp;
                    response.Offset = found.Offset;
                    response.LeaderEpoch = EpochAt(partition, found.Offset);
                }

                break;
        }

        return response;
    }

    /// <summary>The leader epoch that wrote <paramref name="offset"/>, from the log's epoch history.</summary>
    private static int EpochAt(Partition partition, long offset)
    {
        var epoch = -1;
        foreach (var entry in partition.Log.LeaderEpochs.Entries)
        {
            if (entry.StartOffset > offset)
            {
                break;
            }

            epoch = entry.Epoch;
        }

        return epoch;
    }

    private static ListOffsetsPartitionResponse Error(int partition, ErrorCode error) =>
        new() { PartitionIndex = partition, ErrorCode = (short)error, Timestamp = -1, Offset = -1, LeaderEpoch = -1 };
}
