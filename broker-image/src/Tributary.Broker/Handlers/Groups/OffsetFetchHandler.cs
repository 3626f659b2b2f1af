using Tributary.Broker.Coordination;
using Tributary.Broker.Groups;
using Tributary.Broker.Network;
using Tributary.Broker.Requests;
using Tributary.Protocol;
using Tributary.Protocol.Messages;
using Tributary.Storage;

namespace Tributary.Broker.Handlers.Groups;

/// <summary>
/// OffsetFetch v0-9: committed offsets of the requested partitions (-1 when none), or of every
/// partition when the topic list is null (v2+). v8+ ask for several groups at once. v0 is served
/// from the coordinator like v1 (there is no ZooKeeper). requireStable (v7+) needs no waiting:
/// commits are durable before they are visible and there are no transactional offsets yet.
/// </summary>
public sealed class OffsetFetchHandler : RequestHandler<OffsetFetchRequest, OffsetFetchResponse>
{
    private readonly GroupCoordinatorService _groups;

    public OffsetFetchHandler(GroupCoordinatorService groups)
        : base(ApiKey.OffsetFetch, 0, 9)
    {
        ArgumentNullException.ThrowIfNull(groups);
        _groups = groups;
    }

    protected override async ValueTask<OffsetFetchResponse?> HandleAsync(RequestContext context, RequestHeader header, OffsetFetchRequest request, CancellationToken ct)
    {
        var version = header.RequestApiVersion;
        var response = new OffsetFetchResponse();
        if (version >= 8)
        {
            foreach (var group in request.Groups)
            {
                var partitions = group.Topics?.SelectMany(t => t.PartitionIndexes.Select(p => new TopicPartition(t.Name, p))).ToList();
                var result = await _groups.FetchOffsetsAsync(group.GroupId, partitions, ct).ConfigureAwait(false);
                var responseGroup = new OffsetFetchResponse.OffsetFetchResponseGroup { GroupId = group.GroupId, ErrorCode = (short)result.Error };
                foreach (var (topic, offsets) in ByTopic(result.Partitions))
                {
                    var responseTopic = new OffsetFetchResponse.OffsetFetchResponseTopics { Name = topic };
                    foreach (var o in offsets)
                    {
                        responseTopic.Partitions.Add(new OffsetFetchResponse.OffsetFetchResponsePartitions
                        {
                            PartitionIndex = o.Partition,
                            CommittedOffset = o.Offset,
                            CommittedLeaderEpoch = o.LeaderEpoch,
                            Metadata = o.Metadata,
                            ErrorCode = (short)o.Error,
                        });
                    }

                    responseGroup.Topics.Add(responseTopic);
                }

                response.Groups.Add(responseGroup);
            }

            return response;
        }

        var requested = request.Topics?.SelectMany(t => t.PartitionIndexes.Select(p => new TopicPartition(t.Name, p))).ToList();
        var single = await _groups.FetchOffsetsAsync(request.GroupId, requested, ct).ConfigureAwait(false);
        IReadOnlyList<FetchedOffset> fetched = single.Partitions;
        if (single.Error != ErrorCode.None)
        {
            if (version >= 2)
            {
                response.ErrorCode = (short)single.Error;
                return response;
            }

            // v0-1 have no group-level error: Kafka repeats it on every requested partition.
            fetched = (requested ?? []).Select(tp => new FetchedOffset(tp.Topic, tp.Partition, -1, -1, string.Empty, single.Error)).ToList();
        }

        foreach (var (topic, offsets) in ByTopic(fetched))
        {
            var responseTopic = new OffsetFetchResponse.OffsetFetchResponseTopic { Name = topic };
            foreach (var o in offsets)
            {
                responseTopic.Partitions.Add(new OffsetFetchResponse.OffsetFetchResponsePartition
                {
                    PartitionIndex = o.Partition,
                    CommittedOffset = o.Offset,
                    CommittedLeaderEpoch = o.LeaderEpoch,
                    Metadata = o.Metadata,
                    ErrorCode = (short)o.Error,
                });
            }

            response.Topics.Add(responseTopic);
        }

        return response;
    }

    /// <summary>Groups partitions by topic, topics in first-seen order.</summary>
    private static List<(string Topic, List<FetchedOffset> Offsets)> ByTopic(IReadOnlyList<FetchedOffset> offsets)
    {
        var result = new List<(string Topic, List<FetchedOffset> Offsets)>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var o in offsets)
        {
            if (!index.TryGetValue(o.Topic, out var i))
            {
                i = result.Count;
                index[o.Topic] = i;
                result.Add((o.Topic, []));
            }

            result[i].Offsets.Add(o);
        }

        return result;
    }
}
