using Tributary.Protocol.Messages;

namespace Tributary.Broker.Metadata.Controller;

/// <summary>
/// Automatic preferred-leader rebalancing (<c>auto.leader.rebalance.enable</c>), pure: for every broker,
/// the share of the partitions it is the preferred leader of but does not lead, counting only those it
/// could lead now (active and in the ISR). When that share exceeds
/// <c>leader.imbalance.per.broker.percentage</c>, those partitions get a preferred election.
/// </summary>
public static class LeaderRebalance
{
    public static IReadOnlyList<IMetadataRecord> Plan(MetadataImage image, int imbalancePercentage, int maxElections = 1000)
    {
        ArgumentNullException.ThrowIfNull(image);
        var preferredCount = new Dictionary<int, int>();
        var movable = new Dictionary<int, List<(TopicImage Topic, PartitionImage Partition)>>();
        foreach (var topic in image.Topics.Values)
        {
            foreach (var partition in topic.Partitions.Values)
            {
                var preferred = partition.PreferredLeader;
                if (preferred == PartitionImage.NoLeader)
                {
                    continue;
                }

                preferredCount[preferred] = preferredCount.GetValueOrDefault(preferred) + 1;
                if (partition.Leader != preferred && partition.Isr.Contains(preferred) && image.IsActive(preferred))
                {
                    if (!movable.TryGetValue(preferred, out var list))
                    {
                        movable[preferred] = list = [];
                    }

                    list.Add((topic, partition));
                }
            }
        }

        var records = new List<IMetadataRecord>();
        foreach (var (broker, partitions) in movable.OrderBy(kv => kv.Key))
        {
            // Integer arithmetic: imbalanced when moved * 100 > percentage * preferred.
            if ((long)partitions.Count * 100 <= (long)imbalancePercentage * preferredCount[broker])
            {
                continue;
            }

            foreach (var (topic, partition) in partitions)
            {
                if (records.Count >= maxElections)
                {
                    return records;
                }

                var builder = new PartitionChangeBuilder(topic.Id, partition, image.IsActive) { Election = PartitionElection.Preferred };
                if (builder.Build() is { } record)
                {
                    records.Add(record);
                }
            }
        }

        return records;
    }
}
