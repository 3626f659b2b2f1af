using Tributary.Protocol.Metadata;

namespace Tributary.Broker.Metadata.Controller;

/// <summary>Validation of manual replica assignments and the records for new partitions. Pure.</summary>
public static class PartitionAssignments
{
    /// <summary>
    /// Checks one manual assignment: non-empty, no duplicate brokers, every broker registered and
    /// at least one of them live. Returns the reason it is invalid (INVALID_REPLICA_ASSIGNMENT) or null.
    /// </summary>
    public static string? Validate(MetadataImage image, int partition, IReadOnlyList<int> replicas)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(replicas);
        if (replicas.Count == 0)
        {
            return $"The manual partition assignment includes an empty replica list for partition {partition}.";
        }

        if (replicas.Distinct().Count() != replicas.Count)
        {
            return $"The manual partition assignment includes a duplicate replica for partition {partition}: [{string.Join(", ", replicas)}].";
        }

        foreach (var broker in replicas)
        {
            if (!image.Brokers.ContainsKey(broker))
            {
                return $"The manual partition assignment includes broker {broker}, but no such broker is registered.";
            }
        }

        if (!replicas.Any(image.IsLive))
        {
            return $"All brokers specified in the manual partition assignment for partition {partition} are fenced or in controlled shutdown.";
        }

        return null;
    }

    /// <summary>A new partition: the first live replica leads, the live replicas form the ISR, epochs start at 0.</summary>
    public static PartitionRecord NewPartition(MetadataImage image, Guid topicId, int partition, IReadOnlyList<int> replicas)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(replicas);
        var isr = replicas.Where(image.IsLive).ToList();
        return new PartitionRecord
        {
            PartitionId = partition,
            TopicId = topicId,
            Replicas = [.. replicas],
            Isr = isr,
            Leader = isr.Count > 0 ? isr[0] : -1,
            LeaderEpoch = 0,
            PartitionEpoch = 0,
        };
    }
}
