namespace Tributary.Broker.Metadata.Controller;

/// <summary>
/// Assigns replicas to brokers round-robin, as Kafka's classic placement does without racks:
/// partition p's first replica is broker (start + p) mod n of the sorted live brokers, and the
/// followers come after it at a distance that grows every n partitions, so leaders and followers
/// both spread evenly. Pure; racks are not considered yet.
/// </summary>
public static class ReplicaPlacer
{
    /// <summary>
    /// Replica lists for partitions <paramref name="firstPartition"/> .. +<paramref name="partitionCount"/>.
    /// <paramref name="brokers"/> must hold at least <paramref name="replicationFactor"/> distinct ids;
    /// <paramref name="start"/> is any non-negative number (the caller picks it at random per topic).
    /// </summary>
    public static IReadOnlyList<int[]> Place(IReadOnlyList<int> brokers, int firstPartition, int partitionCount, int replicationFactor, int start)
    {
        ArgumentNullException.ThrowIfNull(brokers);
        ArgumentOutOfRangeException.ThrowIfNegative(partitionCount);
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(replicationFactor);
        var sorted = brokers.Distinct().Order().ToArray();
        if (replicationFactor > sorted.Length)
        {
            throw new ArgumentException($"replication factor {replicationFactor} exceeds the {sorted.Length} brokers", nameof(replicationFactor));
        }

        var n = sorted.Length;
        var result = new int[partitionCount][];
        for (var i = 0; i < partitionCount; i++)
        {
            var p = (long)firstPartition + i;
            var first = (int)((start + p) % n);
            var shift = (int)((start + (p / n)) % Math.Max(1, n - 1));
            var replicas = new int[replicationFactor];
            replicas[0] = sorted[first];
            for (var j = 0; j < replicationFactor - 1; j++)
            {
                // first + 1 + [0, n-2]: never the first replica, distinct for distinct j.
                replicas[j + 1] = sorted[(first + 1 + ((shift + j) % (n - 1))) % n];
            }

            result[i] = replicas;
        }

        return result;
    }
}
