using Tributary.Broker.Metadata;

namespace Tributary.Broker.Metrics;

/// <summary>
/// The replica-manager gauges Kafka operators alert on, derived purely from a metadata image:
/// partitions with a replica here, partitions led here, led partitions whose ISR is short of the
/// replica set or of min.insync.replicas, and partitions with no leader at all (cluster-wide,
/// reported by the active controller in Kafka).
/// </summary>
public readonly record struct PartitionCounts(int Partitions, int Leaders, int UnderReplicated, int UnderMinIsr, int Offline)
{
    public static PartitionCounts Compute(MetadataImage image, int nodeId, Func<MetadataImage, string, int> minInsyncReplicas)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(minInsyncReplicas);
        int partitions = 0, leaders = 0, underReplicated = 0, underMinIsr = 0, offline = 0;
        foreach (var topic in image.Topics.Values)
        {
            var minIsr = -1;
            foreach (var partition in topic.Partitions.Values)
            {
                if (partition.Leader == PartitionImage.NoLeader)
                {
                    offline++;
                }

                if (partition.Replicas.Contains(nodeId))
                {
                    partitions++;
                }

                if (partition.Leader != nodeId)
                {
                    continue;
                }

                leaders++;
                if (partition.Isr.Count < partition.Replicas.Count)
                {
                    underReplicated++;
                }

                if (minIsr < 0)
                {
                    minIsr = minInsyncReplicas(image, topic.Name);
                }

                if (partition.Isr.Count < minIsr)
                {
                    underMinIsr++;
                }
            }
        }

        return new PartitionCounts(partitions, leaders, underReplicated, underMinIsr, offline);
    }
}
