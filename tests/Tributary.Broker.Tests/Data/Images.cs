using System.Collections.Immutable;
using System.Globalization;
using Tributary.Broker.Metadata;
using Tributary.Storage;

namespace Tributary.Broker.Tests.Data;

/// <summary>Builds metadata images for tests, and a small topic-config resolver over them.</summary>
internal static class Images
{
    public static MetadataImage WithTopic(this MetadataImage image, string name, int partitions = 1, IReadOnlyDictionary<string, string>? configs = null,
        Guid? id = null, int leader = DataBroker.NodeId, int leaderEpoch = 0, IReadOnlyList<int>? isr = null, IReadOnlyList<int>? replicas = null)
    {
        var topicId = id ?? Guid.NewGuid();
        var inSync = isr ?? [leader];
        var assigned = replicas ?? (inSync.Contains(DataBroker.NodeId) ? inSync : [.. inSync, DataBroker.NodeId]);
        var parts = Enumerable.Range(0, partitions).ToDictionary(p => p, p => new PartitionImage(p, leader, leaderEpoch, 0, assigned, inSync));
        var topic = new TopicImage(name, topicId, parts, configs ?? new Dictionary<string, string>());
        var names = image.Topic(name) is { } old ? image.TopicNamesById.Remove(old.Id) : image.TopicNamesById;
        return image with { Offset = image.Offset + 1, Topics = image.Topics.SetItem(name, topic), TopicNamesById = names.SetItem(topicId, name) };
    }

    public static MetadataImage WithoutTopic(this MetadataImage image, string name)
    {
        var topic = image.Topic(name) ?? throw new ArgumentException(name);
        return image with { Offset = image.Offset + 1, Topics = image.Topics.Remove(name), TopicNamesById = image.TopicNamesById.Remove(topic.Id) };
    }

    public static MetadataImage WithTopicConfig(this MetadataImage image, string name, string key, string value)
    {
        var topic = image.Topic(name) ?? throw new ArgumentException(name);
        var configs = new Dictionary<string, string>(topic.Configs) { [key] = value };
        return image with { Offset = image.Offset + 1, Topics = image.Topics.SetItem(name, topic with { Configs = configs }) };
    }

    public static MetadataImage Empty() => MetadataImage.Empty("test-cluster") with
    {
        Brokers = ImmutableSortedDictionary<int, BrokerImage>.Empty.Add(DataBroker.NodeId,
            new BrokerImage(DataBroker.NodeId, null, [new BrokerEndpoint("PLAINTEXT", "127.0.0.1", 9092, "PLAINTEXT")], false, 1)),
    };

    /// <summary>The few topic configs the data-path tests vary.</summary>
    public static LogConfig ResolveConfig(MetadataImage image, string topic)
    {
        var configs = image.Topic(topic)?.Configs ?? new Dictionary<string, string>();
        var config = LogConfig.Default;
        if (configs.TryGetValue("segment.bytes", out var segment))
        {
            config = config with { SegmentBytes = int.Parse(segment, CultureInfo.InvariantCulture) };
        }

        if (configs.TryGetValue("max.message.bytes", out var max))
        {
            config = config with { MaxMessageBytes = int.Parse(max, CultureInfo.InvariantCulture) };
        }

        if (configs.TryGetValue("flush.messages", out var flush))
        {
            config = config with { FlushMessages = long.Parse(flush, CultureInfo.InvariantCulture) };
        }

        if (configs.TryGetValue("message.timestamp.type", out var type))
        {
            config = config with { MessageTimestampType = type == "LogAppendTime" ? MessageTimestampType.LogAppendTime : MessageTimestampType.CreateTime };
        }

        if (configs.TryGetValue("cleanup.policy", out var policy))
        {
            config = config with { CleanupPolicy = policy == "compact" ? CleanupPolicy.Compact : CleanupPolicy.Delete };
        }

        return config;
    }
}
