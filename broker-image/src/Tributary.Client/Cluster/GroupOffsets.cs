using Tributary.Protocol;
using Tributary.Protocol.Messages;

namespace Tributary.Client.Cluster;

/// <summary>OffsetFetch and OffsetCommit against a group's coordinator, shared by the admin client and the consumer.</summary>
public static class GroupOffsets
{
    /// <summary>
    /// Committed offsets of <paramref name="groupId"/> for <paramref name="partitions"/> (null: every
    /// partition the group has offsets for). Partitions without a commit map to offset -1.
    /// </summary>
    public static Task<Dictionary<TopicPartition, OffsetAndMetadata>> FetchAsync(ClusterClient cluster, string groupId,
        IReadOnlyCollection<TopicPartition>? partitions, bool requireStable, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(groupId);
        return cluster.RetryAsync(async ct =>
        {
            var connection = await cluster.ConnectCoordinatorAsync(CoordinatorType.Group, groupId, ct).ConfigureAwait(false);
            var response = await cluster.SendAsync<OffsetFetchResponse>(connection, ApiKey.OffsetFetch, 1, 9,
                version => BuildFetch(version, groupId, partitions, requireStable), ct).ConfigureAwait(false);
            return ReadFetch(response, groupId, cluster);
        }, cancellationToken);
    }

    private static OffsetFetchRequest BuildFetch(short version, string groupId, IReadOnlyCollection<TopicPartition>? partitions, bool requireStable)
    {
        var byTopic = partitions?.GroupBy(p => p.Topic, StringComparer.Ordinal).ToList();
        if (version >= 8)
        {
            return new OffsetFetchRequest
            {
                RequireStable = requireStable,
                Groups =
                [
                    new OffsetFetchRequest.OffsetFetchRequestGroup
                    {
                        GroupId = groupId,
                        Topics = byTopic?.Select(g => new OffsetFetchRequest.OffsetFetchRequestTopics
                        {
                            Name = g.Key,
                            PartitionIndexes = g.Select(p => p.Partition).ToList(),
                        }).ToList(),
                    },
                ],
            };
        }

        if (byTopic is null && version < 2)
        {
            throw new KafkaException(ErrorCode.UnsupportedVersion, "fetching all of a group's offsets needs OffsetFetch v2+");
        }

        return new OffsetFetchRequest
        {
            GroupId = groupId,
            RequireStable = requireStable,
            Topics = byTopic?.Select(g => new OffsetFetchRequest.OffsetFetchRequestTopic
            {
                Name = g.Key,
                PartitionIndexes = g.Select(p => p.Partition).ToList(),
            }).ToList(),
        };
    }

    private static Dictionary<TopicPartition, OffsetAndMetadata> ReadFetch(OffsetFetchResponse response, string groupId, ClusterClient cluster)
    {
        var result = new Dictionary<TopicPartition, OffsetAndMetadata>();
        if (response.Groups.Count > 0)
        {
            var group = response.Groups[0];
            ThrowGroupError(group.ErrorCode, groupId, cluster);
            foreach (var topic in group.Topics)
            {
                foreach (var partition in topic.Partitions)
                {
                    Add(result, cluster, groupId, new TopicPartition(topic.Name, partition.PartitionIndex), partition.ErrorCode,
                        partition.CommittedOffset, partition.Metadata, partition.CommittedLeaderEpoch);
                }
            }

            return result;
        }

        ThrowGroupError(response.ErrorCode, groupId, cluster);
        foreach (var topic in response.Topics)
        {
            foreach (var partition in topic.Partitions)
            {
                Add(result, cluster, groupId, new TopicPartition(topic.Name, partition.PartitionIndex), partition.ErrorCode,
                    partition.CommittedOffset, partition.Metadata, partition.CommittedLeaderEpoch);
            }
        }

        return result;
    }

    private static void Add(Dictionary<TopicPartition, OffsetAndMetadata> result, ClusterClient cluster, string groupId, TopicPartition partition,
        short error, long offset, string? metadata, int leaderEpoch)
    {
        // A partition the group never committed comes back as offset -1 with no error (or UNKNOWN_TOPIC_OR_PARTITION from old brokers).
        if (error != 0 && error != (short)ErrorCode.UnknownTopicOrPartition)
        {
            ThrowGroupError(error, groupId, cluster);
        }

        result[partition] = new OffsetAndMetadata(error == 0 ? offset : -1, metadata, leaderEpoch);
    }

    private static void ThrowGroupError(short code, string groupId, ClusterClient cluster)
    {
        if (code == 0)
        {
            return;
        }

        if (KafkaErrors.InvalidatesCoordinator((ErrorCode)code))
        {
            cluster.InvalidateCoordinator(CoordinatorType.Group, groupId);
        }

        KafkaException.ThrowIfError(code, null, $"offsets of group {groupId}");
    }

    /// <summary>
    /// Commits offsets for a group. <paramref name="generationId"/> and <paramref name="memberId"/> are
    /// the member's (-1 and "" for a simple, memberless commit). Errors raise <see cref="KafkaException"/>;
    /// rebalance errors (ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID, REBALANCE_IN_PROGRESS) are not retried.
    /// </summary>
    public static Task CommitAsync(ClusterClient cluster, string groupId, int generationId, string memberId, string? groupInstanceId,
        IReadOnlyDictionary<TopicPartition, OffsetAndMetadata> offsets, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(offsets);
        if (offsets.Count == 0)
        {
            return Task.CompletedTask;
        }

        return cluster.RetryAsync(async ct =>
        {
            var connection = await cluster.ConnectCoordinatorAsync(CoordinatorType.Group, groupId, ct).ConfigureAwait(false);
            var response = await cluster.SendAsync<OffsetCommitResponse>(connection, ApiKey.OffsetCommit, 2, 8, _ => new OffsetCommitRequest
            {
                GroupId = groupId,
                GenerationIdOrMemberEpoch = generationId,
                MemberId = memberId,
                GroupInstanceId = groupInstanceId,
                Topics = offsets.GroupBy(o => o.Key.Topic, StringComparer.Ordinal).Select(g => new OffsetCommitRequest.OffsetCommitRequestTopic
                {
                    Name = g.Key,
                    Partitions = g.Select(o => new OffsetCommitRequest.OffsetCommitRequestPartition
                    {
                        PartitionIndex = o.Key.Partition,
                        CommittedOffset = o.Value.Offset,
                        CommittedLeaderEpoch = o.Value.LeaderEpoch,
                        CommittedMetadata = o.Value.Metadata ?? "",
                    }).ToList(),
                }).ToList(),
            }, ct).ConfigureAwait(false);
            foreach (var topic in response.Topics)
            {
                foreach (var partition in topic.Partitions)
                {
                    ThrowGroupError(partition.ErrorCode, groupId, cluster);
                }
            }

            return true;
        }, cancellationToken);
    }
}
