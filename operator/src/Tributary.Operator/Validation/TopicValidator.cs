using System.Globalization;
using Tributary.Operator.Api;

namespace Tributary.Operator.Validation;

/// <summary>
/// Checks a Topic, including the changes Kafka cannot make (fewer partitions, a new replication
/// factor): those become Stalled with a message, never a destructive action.
/// </summary>
public static class TopicValidator
{
    /// <summary>The Kafka topic name in effect: spec.topicName or metadata.name.</summary>
    public static string KafkaTopicName(Topic topic)
    {
        ArgumentNullException.ThrowIfNull(topic);
        return topic.Spec.TopicName ?? topic.Metadata.Name ?? "";
    }

    /// <param name="topic">The resource; status holds what the topic has now.</param>
    /// <param name="clusterBrokers">Brokers of the referenced cluster, when known.</param>
    public static IReadOnlyList<string> Validate(Topic topic, int? clusterBrokers = null)
    {
        ArgumentNullException.ThrowIfNull(topic);
        var errors = new List<string>();
        var spec = topic.Spec;
        var name = KafkaTopicName(topic);
        if (name.Length is 0 or > 249 || name is "." or ".." || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
        {
            errors.Add($"topic name '{name}' is not a legal Kafka topic name (1-249 of a-z A-Z 0-9 . _ -, not '.' or '..')");
        }

        if (spec.Partitions < 1)
        {
            errors.Add($"spec.partitions must be at least 1 (got {spec.Partitions})");
        }

        if (spec.ReplicationFactor < 1)
        {
            errors.Add($"spec.replicationFactor must be at least 1 (got {spec.ReplicationFactor})");
        }

        if (clusterBrokers is { } brokers && spec.ReplicationFactor > brokers)
        {
            errors.Add($"spec.replicationFactor {spec.ReplicationFactor} exceeds the {brokers} broker(s) of cluster '{spec.ClusterRef?.Name}'");
        }

        if (topic.Status?.Partitions is { } current && spec.Partitions < current)
        {
            errors.Add($"spec.partitions cannot decrease from {current} to {spec.Partitions}: Kafka cannot remove partitions");
        }

        if (topic.Status?.ReplicationFactor is { } currentRf && spec.ReplicationFactor != currentRf)
        {
            errors.Add($"spec.replicationFactor cannot change from {currentRf} to {spec.ReplicationFactor} after creation");
        }

        if (spec.Config is { } config && config.TryGetValue("min.insync.replicas", out var minIsrText)
            && int.TryParse(minIsrText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var minIsr) && minIsr > spec.ReplicationFactor)
        {
            errors.Add($"spec.config.min.insync.replicas {minIsr} exceeds spec.replicationFactor {spec.ReplicationFactor}: no write could ever succeed");
        }

        return errors;
    }
}
