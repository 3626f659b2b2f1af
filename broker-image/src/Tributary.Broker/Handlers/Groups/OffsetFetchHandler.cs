using Tributary.Broker.Coordination;
using Tributary.Broker.Groups;
using Tributary.Broker.Network;
using Tributary.Broker.Requests;
using Tributary.Broker.Security;
using Tributary.Protocol;
using Tributary.Protocol.Acls;
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
    private readonly RequestAuthorizer _authorizer;

    public OffsetFetchHandler(GroupCoordinatorService groups, RequestAuthorizer? authorizer = null)
        : base(ApiKey.OffsetFetch, 0, 9)
    {
        ArgumentNullException.ThrowIfNull(groups);
        _groups = groups;
        _authorizer = authorizer ?? RequestAuthorizer.Disabled;
    }

    protected override async ValueTask<OffsetFetchResponse?> HandleAsync(RequestContext context, RequestHeader header, OffsetFetchRequest request, CancellationToken ct)
    {
        var version = header.RequestApiVersion;
        var response = new OffsetFetchResponse();
        if (version >= 8)
        {
            foreach (var group in request.Groups)
            {
                if (!_authorizer.AuthorizeGroup(context, AclOperation.Describe, group.GroupId))
                {
                    response.Groups.Add(new OffsetFetchResponse.OffsetFetchResponseGroup { GroupId = group.GroupId, ErrorCode = (short)ErrorCode.GroupAuthorizationFailed });
                    continue;
                }

                var partitions = group.Topics?.SelectMany(t => t.PartitionIndexes.Select(p => new TopicPartition(t.Name, p))).ToList();
                var result = await _groups.FetchOffsetsAsync(group.GroupId, partitions, ct).ConfigureAwait(false);
                var responseGroup = new OffsetFetchResponse.OffsetFetchResponseGroup { GroupId = group.GroupId, ErrorCode = (short)result.Error };
                foreach (var (topic, offsets) in ByTopic(Authorized(context, result.Partitions, allTopics: partitions is null)))
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
        var single = _authorizer.AuthorizeGroup(context, AclOperation.Describe, request.GroupId)
            ? await _groups.FetchOffsetsAsync(request.GroupId, requested, ct).ConfigureAwait(false)
            : new OffsetFetchResult(ErrorCode.GroupAuthorizationFailed, []);
        IReadOnlyList<FetchedOffset> fetched = Authorized(context, single.Partitions, allTopics: requested is null);
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

    /// <summary>
    /// Kafka's topic rule for OffsetFetch: offsets of topics the client may not DESCRIBE are left out
    /// of an all-topics answer and answered TOPIC_AUTHORIZATION_FAILED when asked for by name.
    /// </summary>
    private IReadOnlyList<FetchedOffset> Authorized(in RequestContext context, IReadOnlyList<FetchedOffset> fetched, bool allTopics)
    {
        if (!_authorizer.Enabled || fetched.Count == 0)
        {
            return fetched;
        }

        var decisions = new Dictionary<string, bool>(StringComparer.Ordinal);
        var result = new List<FetchedOffset>(fetched.Count);
        foreach (var o in fetched)
        {
            if (!decisions.TryGetValue(o.Topic, out var allowed))
            {
                decisions[o.Topic] = allowed = _authorizer.AuthorizeTopic(context, AclOperation.Describe, o.Topic);
            }

            if (allowed)
            {
                result.Add(o);
            }
            else if (!allTopics)
            {
                result.Add(o with { Offset = -1, LeaderEpoch = -1, Metadata = string.Empty, Error = ErrorCode.TopicAuthorizationFailed });
            }
        }

        return result;
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
