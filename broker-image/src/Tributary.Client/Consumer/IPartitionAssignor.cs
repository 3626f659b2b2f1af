namespace Tributary.Client.Consumer;

/// <summary>A client-side assignor the group leader runs for the "consumer" protocol.</summary>
public interface IPartitionAssignor
{
    /// <summary>The protocol name offered in JoinGroup ("range", "roundrobin").</summary>
    string Name { get; }

    /// <param name="subscriptions">Each member's subscribed topics.</param>
    /// <param name="partitionCounts">Partition counts of the subscribed topics that exist.</param>
    /// <returns>Every member's partitions (members with none map to an empty list).</returns>
    IReadOnlyDictionary<string, IReadOnlyList<TopicPartition>> Assign(IReadOnlyDictionary<string, IReadOnlyList<string>> subscriptions,
        IReadOnlyDictionary<string, int> partitionCounts);
}
