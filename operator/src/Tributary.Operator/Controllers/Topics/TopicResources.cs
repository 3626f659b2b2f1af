using Tributary.Kube;
using Tributary.Operator.Api;

namespace Tributary.Operator.Controllers.Topics;

/// <summary>The Kubernetes resources the topic controller reads and writes.</summary>
public static class TopicResources
{
    /// <summary>Held by Topics with deletionPolicy Delete until the Kafka topic is deleted.</summary>
    public const string Finalizer = "kafka.tributary.dev/topic";

    public static ResourceDescriptor Topics { get; } = new(KafkaApi.Group, KafkaApi.Version, "topics", "Topic", true);

    public static ResourceDescriptor KafkaClusters { get; } = new(KafkaApi.Group, KafkaApi.Version, "kafkaclusters", "KafkaCluster", true);
}
