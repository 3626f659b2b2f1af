using Tributary.Protocol;
using Tributary.Protocol.Messages;

namespace Tributary.Client.Cluster;

/// <summary>An immutable snapshot of what the cluster said in its last Metadata response(s).</summary>
public sealed class ClusterMetadata
{
    public static ClusterMetadata Empty { get; } = new(null, -1, new Dictionary<int, BrokerNode>(), new Dictionary<string, TopicMetadata>(), DateTimeOffset.MinValue);

    public ClusterMetadata(string? clusterId, int controllerId, IReadOnlyDictionary<int, BrokerNode> brokers,
        IReadOnlyDictionary<string, TopicMetadata> topics, DateTimeOffset updatedAt)
    {
        ClusterId = clusterId;
        ControllerId = controllerId;
        Brokers = brokers;
        Topics = topics;
        UpdatedAt = updatedAt;
    }

    public string? ClusterId { get; }

    /// <summary>The controller id from Metadata (-1 if unknown); KRaft brokers name a broker that forwards.</summary>
    public int ControllerId { get; }

    public IReadOnlyDictionary<int, BrokerNode> Brokers { get; }

    public IReadOnlyDictionary<string, TopicMetadata> Topics { get; }

    public DateTimeOffset UpdatedAt { get; }

    /// <summary>The leader of a partition, or -1 when unknown or leaderless.</summary>
    public int LeaderOf(TopicPartition partition) => PartitionOf(partition)?.Leader ?? -1;

    /// <summary>A partition's metadata, or null when the topic or partition is not known.</summary>
    public PartitionMetadata? PartitionOf(TopicPartition partition)
    {
        if (!Topics.TryGetValue(partition.Topic, out var topic))
        {
            return null;
        }

        var index = partition.Partition;
        if (index >= 0 && index < topic.Partitions.Count && topic.Partitions[index].Partition == index)
        {
            return topic.Partitions[index];
        }

        return topic.Partitions.FirstOrDefault(p => p.Partition == index);
    }

    /// <summary>
    /// Applies a Metadata response: brokers and controller are replaced; topics in the response replace
    /// their cached entries, and when <paramref name="allTopics"/> the cache keeps only those topics.
    /// </summary>
    public ClusterMetadata With(MetadataResponse response, bool allTopics, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(response);
        var brokers = response.Brokers.ToDictionary(b => b.NodeId, b => new BrokerNode(b.NodeId, b.Host, b.Port, b.Rack));
        var topics = allTopics ? new Dictionary<string, TopicMetadata>(StringComparer.Ordinal) : new Dictionary<string, TopicMetadata>(Topics, StringComparer.Ordinal);
        foreach (var topic in response.Topics)
        {
            if (topic.Name is null)
            {
                continue;
            }

            var error = (ErrorCode)topic.ErrorCode;
            if (error == ErrorCode.UnknownTopicOrPartition)
            {
                topics.Remove(topic.Name);
            }

            var partitions = topic.Partitions
                .OrderBy(p => p.PartitionIndex)
                .Select(p => new PartitionMetadata(p.PartitionIndex, p.LeaderId, p.LeaderEpoch, p.ReplicaNodes.ToArray(), p.IsrNodes.ToArray(),
                    p.OfflineReplicas.ToArray(), (ErrorCode)p.ErrorCode))
                .ToArray();
            if (error != ErrorCode.UnknownTopicOrPartition)
            {
                topics[topic.Name] = new TopicMetadata(topic.Name, topic.TopicId, topic.IsInternal, error, partitions);
            }
        }

        return new ClusterMetadata(response.ClusterId ?? ClusterId, response.ControllerId, brokers, topics, now);
    }
}
