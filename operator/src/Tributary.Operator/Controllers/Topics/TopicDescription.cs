namespace Tributary.Operator.Controllers.Topics;

/// <summary>What a Kafka topic is now.</summary>
/// <param name="Name">Kafka topic name.</param>
/// <param name="TopicId">Topic id as Kafka prints it (URL-safe base64 UUID), when the cluster reports one.</param>
/// <param name="Partitions">Partition count.</param>
/// <param name="ReplicationFactor">Replicas of the first partition (Kafka keeps them equal unless reassigned by hand).</param>
/// <param name="Configs">Topic-level overrides only (DescribeConfigs source TOPIC_CONFIG): no broker or default values.</param>
public sealed record TopicDescription(
    string Name,
    string? TopicId,
    int Partitions,
    int ReplicationFactor,
    IReadOnlyDictionary<string, string> Configs);
