namespace Tributary.Operator.Controllers.Topics;

/// <summary>Condition and Event reasons of the topic controller (CamelCase, stable: alerts and scripts match on them).</summary>
public static class TopicReasons
{
    public const string Ready = "TopicReady";
    public const string ClusterNotReady = "ClusterNotReady";
    public const string ClusterGone = "ClusterGone";
    public const string InvalidSpec = "InvalidSpec";
    public const string PartitionDecreaseNotSupported = "PartitionDecreaseNotSupported";
    public const string ReplicationFactorChangeNotSupported = "ReplicationFactorChangeNotSupported";
    public const string TopicNameConflict = "TopicNameConflict";
    public const string KafkaError = "KafkaError";
    public const string KafkaUnavailable = "KafkaUnavailable";
    public const string Created = "TopicCreated";
    public const string PartitionsIncreased = "PartitionsIncreased";
    public const string ConfigUpdated = "ConfigUpdated";
    public const string Deleted = "TopicDeleted";
    public const string Retained = "TopicRetained";
    public const string DeletionSkipped = "DeletionSkipped";
}
