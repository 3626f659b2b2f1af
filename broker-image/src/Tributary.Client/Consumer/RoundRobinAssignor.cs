namespace Tributary.Client.Consumer;

/// <summary>
/// Java's RoundRobinAssignor: all partitions sorted by topic then partition are dealt in turn to
/// the members sorted by id, skipping members not subscribed to the partition's topic.
/// </summary>
public sealed class RoundRobinAssignor : IPartitionAssignor
{
    public string Name => "roundrobin";

    public IReadOnlyDictionary<string, IReadOnlyList<TopicPartition>> Assign(IReadOnlyDictionary<string, IReadOnlyList<string>> subscriptions,
        IReadOnlyDictionary<string, int> partitionCounts)
    {
        ArgumentNullException.ThrowIfNull(subscriptions);
        ArgumentNullException.ThrowIfNull(partitionCounts);
        var result = subscriptions.Keys.ToDictionary(m => m, _ => new List<TopicPartition>(), StringComparer.Ordinal);
        var members = subscriptions.Keys.Order(StringComparer.Ordinal).ToList();
        var partitions = subscriptions.Values.SelectMany(t => t).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Where(partitionCounts.ContainsKey)
            .SelectMany(t => Enumerable.Range(0, partitionCounts[t]).Select(p => new TopicPartition(t, p)));
        var next = 0;
        foreach (var partition in partitions)
        {
            // Someone subscribes to every listed topic, so this finds a member within one lap.
            while (!subscriptions[members[next % members.Count]].Contains(partition.Topic, StringComparer.Ordinal))
            {
                next++;
            }

            result[members[next % members.Count]].Add(partition);
            next++;
        }

        return result.ToDictionary(r => r.Key, r => (IReadOnlyList<TopicPartition>)r.Value, StringComparer.Ordinal);
    }
}
