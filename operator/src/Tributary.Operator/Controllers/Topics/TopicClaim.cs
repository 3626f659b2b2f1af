namespace Tributary.Operator.Controllers.Topics;

/// <summary>One Topic resource's claim on a Kafka topic name in a cluster (the inputs of conflict resolution).</summary>
/// <param name="Name">metadata.name of the Topic resource.</param>
/// <param name="Uid">metadata.uid.</param>
/// <param name="CreationTimestamp">metadata.creationTimestamp (null sorts last).</param>
public sealed record TopicClaim(string Name, string Uid, DateTimeOffset? CreationTimestamp);
