namespace Tributary.Client.Consumer;

/// <summary>
/// Java's RangeAssignor: per topic, the members subscribed to it (sorted by member id) get
/// consecutive ranges; the first <c>partitions % members</c> members get one extra.
/// </summary>
public sealed class RangeAssignor : IPartitionAssignor
{
    public string Name => "range";

    public IReadOnlyDictionary<string, IReadOnlyList<TopicPartition>> Assign(IReadOnlyDictionary<string, IReadOnlyList<string>> subscriptions,
        IReadOnlyDictionary<string, int> partitionCounts)
    {
        ArgumentNullException.ThrowIfNull(subscriptions);
        ArgumentNullException.ThrowIfNull(partitionCounts);
        var result = subscriptions.Keys.ToDictionary(m => m, _ => new List<TopicPartition>(), StringComparer.Ordinal);
        var topics = subscriptions.Values.SelectMany(t => t).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        foreach (var topic in topics)
        {
            if (!partitionCounts.TryGetValue(topic, out var count))
            {
                continue;
            }

            var members = subscriptions.Where(s => s.Value.Contains(topic, StringComparer.Ordinal)).Select(s => s.Key).Order(StringComparer.Ordinal).ToList();
            var perMember = count / members.Count;
            var extra = count % members.Count;
            for (var i = 0; i < members.Count; i++)
            {
                var start = perMember * i + Math.Min(i, extra);
                var length = perMember + (i < extra ? 1 : 0);
                for (var p = start; p < start + length; p++)
                {
                    result[members[i]].Add(new TopicPartition(topic, p));
                }
            }
        }

        return result.ToDictionary(r => r.Key, r => (IReadOnlyList<TopicPartition>)r.Value, StringComparer.Ordinal);
    }
}
