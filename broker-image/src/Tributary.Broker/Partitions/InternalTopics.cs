namespace Tributary.Broker.Partitions;

/// <summary>Topics clients may not produce to directly (Kafka's <c>Topic.isInternal</c>).</summary>
public static class InternalTopics
{
    public const string ConsumerOffsets = "__consumer_offsets";

    public const string TransactionState = "__transaction_state";

    public static bool IsInternal(string topic) =>
        string.Equals(topic, ConsumerOffsets, StringComparison.Ordinal) ||
        string.Equals(topic, TransactionState, StringComparison.Ordinal);
}
