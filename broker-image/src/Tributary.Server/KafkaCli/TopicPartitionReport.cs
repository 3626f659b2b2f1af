namespace Tributary.Server.KafkaCli;

/// <summary>The <c>kafka-topics --describe</c> partition filters (at most one).</summary>
public enum TopicPartitionReport
{
    /// <summary>Every partition, with the topic line and its configs.</summary>
    All,
    UnderReplicated,
    Unavailable,
    UnderMinIsr,
    AtMinIsr,
}
