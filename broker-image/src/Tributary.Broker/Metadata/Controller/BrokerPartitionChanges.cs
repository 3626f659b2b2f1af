using Tributary.Protocol.Messages;

namespace Tributary.Broker.Metadata.Controller;

/// <summary>
/// The partition changes that follow a broker's state change (Kafka's generateLeaderAndIsrUpdates). Pure.
/// <paramref name="uncleanEnabled"/> tells, per topic, whether unclean leader election is allowed.
/// </summary>
public static class BrokerPartitionChanges
{
    /// <summary>
    /// The broker is being fenced or is shutting down: leave every ISR it is in and give its
    /// leaderships to another ISR member (in replica order). A partition whose ISR would become
    /// empty keeps the broker in its ISR and goes offline (unless unclean election finds a leader).
    /// </summary>
    public static void RemoveFromIsrs(MetadataImage image, int brokerId, Func<string, bool> uncleanEnabled, List<IMetadataRecord> records)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(uncleanEnabled);
        ArgumentNullException.ThrowIfNull(records);
        bool Acceptable(int b) => b != brokerId && image.IsActive(b);
        foreach (var topic in image.Topics.Values)
        {
            var unclean = false;
            var uncleanKnown = false;
            foreach (var partition in topic.Partitions.Values)
            {
                if (!partition.Isr.Contains(brokerId))
                {
                    continue;
                }

                if (!uncleanKnown)
                {
                    unclean = uncleanEnabled(topic.Name);
                    uncleanKnown = true;
                }

                var builder = new PartitionChangeBuilder(topic.Id, partition, Acceptable)
                {
                    Election = unclean ? PartitionElection.Unclean : PartitionElection.Online,
                };
                builder.WithTargetIsr(partition.Isr.Where(r => r != brokerId));
                if (builder.Build() is { } record)
                {
                    records.Add(record);
                }
            }
        }
    }

    /// <summary>
    /// The broker was just unfenced: every leaderless partition elects a leader again, so a partition
    /// whose ISR still holds this broker gets it back as leader.
    /// </summary>
    public static void ElectOfflineLeaders(MetadataImage image, int unfencedBrokerId, Func<string, bool> uncleanEnabled, List<IMetadataRecord> records)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(uncleanEnabled);
        ArgumentNullException.ThrowIfNull(records);
        bool Acceptable(int b) => b == unfencedBrokerId || image.IsActive(b);
        foreach (var topic in image.Topics.Values)
        {
            foreach (var partition in topic.Partitions.Values)
            {
                if (partition.Leader != PartitionImage.NoLeader)
                {
                    continue;
                }

                var builder = new PartitionChangeBuilder(topic.Id, partition, Acceptable)
                {
                    Election = uncleanEnabled(topic.Name) ? PartitionElection.Unclean : PartitionElection.Online,
                };
                if (builder.Build() is { } record)
                {
                    records.Add(record);
                }
            }
        }
    }

    /// <summary>Whether the broker leads any partition.</summary>
    public static bool HasLeaderships(MetadataImage image, int brokerId)
    {
        ArgumentNullException.ThrowIfNull(image);
        return image.Topics.Values.Any(t => t.Partitions.Values.Any(p => p.Leader == brokerId));
    }
}
