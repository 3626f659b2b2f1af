namespace Tributary.Broker.Groups;

/// <summary>
/// Maps a group id to its <c>__consumer_offsets</c> partition exactly like Kafka:
/// <c>Utils.abs(groupId.hashCode()) % partitions</c>, so clients and brokers agree on the coordinator.
/// </summary>
public static class GroupPartitioner
{
    /// <summary>Java's <c>String.hashCode</c>: <c>s[0]*31^(n-1) + ... + s[n-1]</c> over UTF-16 code units, wrapping.</summary>
    public static int JavaHashCode(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var hash = 0;
        foreach (var c in value)
        {
            hash = unchecked((31 * hash) + c);
        }

        return hash;
    }

    /// <summary>Kafka's <c>Utils.abs</c>: like Math.abs but maps int.MinValue to 0 instead of staying negative.</summary>
    public static int KafkaAbs(int value) => value == int.MinValue ? 0 : Math.Abs(value);

    public static int PartitionFor(string groupId, int partitionCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(partitionCount);
        return KafkaAbs(JavaHashCode(groupId)) % partitionCount;
    }
}
