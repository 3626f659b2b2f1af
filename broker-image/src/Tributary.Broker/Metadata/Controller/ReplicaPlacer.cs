using Tributary.Protocol;

namespace Tributary.Broker.Metadata.Controller;

/// <summary>
/// Rack-aware replica placement for new topics and partitions. Pure and deterministic: the same
/// brokers, partitions, replication factor, <c>start</c> and existing assignment give the same result
/// (the controller draws <c>start</c> from its injected <see cref="Random"/>).
/// <para>The rule:</para>
/// <list type="number">
/// <item>Leaders (first replicas) of all new partitions, one after another: the broker with the fewest
/// leaders so far; ties go to the rack with the fewest leaders, then the broker with the fewest
/// replicas, then the rotation order of <see cref="RackLayout"/> starting at <c>start + partition</c>.
/// So leader counts never differ by more than one between brokers for a new topic, and leaders
/// alternate between racks.</item>
/// <item>Then each partition's followers, one at a time: only brokers not yet in the partition, on a
/// rack holding the fewest replicas of this partition (among racks with a broker left), qualify; of
/// those the broker with the fewest replicas overall wins, ties going to the rotation order after
/// the leader (shifted every full round so broker pairs vary). Replicas thus sit on distinct racks
/// while there are at least as many racks as replicas, and otherwise fill racks evenly
/// (water-filling: no rack holds more than ceil(RF / racks) when every rack has enough brokers).
/// Placing every leader first lets the followers even out the total replica counts.</item>
/// </list>
/// Counts start from <c>existing</c> (the topic's current partitions, for CreatePartitions), so added
/// partitions even out the topic. Brokers without a rack are one more group, as in Kafka's KRaft
/// placer: mixing racked and unracked brokers is accepted, never refused.
/// </summary>
public static class ReplicaPlacer
{
    /// <summary>The brokers of an image that may take new replicas (unfenced, not shutting down), with their racks.</summary>
    public static IReadOnlyList<PlacementBroker> LiveBrokers(MetadataImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return [.. image.LiveBrokers.Where(b => !b.InControlledShutdown).Select(b => new PlacementBroker(b.Id, b.Rack))];
    }

    /// <summary>INVALID_REPLICATION_FACTOR (Kafka's message) when the factor cannot be met, else null.</summary>
    public static (ErrorCode Code, string Message)? CheckReplicationFactor(int replicationFactor, int liveBrokers)
    {
        if (replicationFactor <= 0)
        {
            return (ErrorCode.InvalidReplicationFactor, "Replication factor must be larger than 0.");
        }

        return replicationFactor > liveBrokers
            ? (ErrorCode.InvalidReplicationFactor,
                $"Unable to replicate the partition {replicationFactor} time(s): The target replication factor of {replicationFactor} cannot be reached because only {liveBrokers} broker(s) are registered.")
            : null;
    }

    /// <summary>Placement over brokers without rack information.</summary>
    public static IReadOnlyList<int[]> Place(IReadOnlyList<int> brokers, int firstPartition, int partitionCount, int replicationFactor, int start)
    {
        ArgumentNullException.ThrowIfNull(brokers);
        return Place([.. brokers.Select(id => new PlacementBroker(id, null))], firstPartition, partitionCount, replicationFactor, start);
    }

    /// <summary>
    /// Replica lists for partitions <paramref name="firstPartition"/> .. +<paramref name="partitionCount"/>.
    /// <paramref name="start"/> is any non-negative number (the caller picks it at random per topic);
    /// <paramref name="existing"/> holds the topic's current replica lists, if any; brokers in it that
    /// are not live are ignored. Throws <see cref="ReplicaPlacementException"/> (INVALID_REPLICATION_FACTOR)
    /// when there are fewer distinct live brokers than <paramref name="replicationFactor"/>.
    /// </summary>
    public static IReadOnlyList<int[]> Place(
        IReadOnlyList<PlacementBroker> brokers,
        int firstPartition,
        int partitionCount,
        int replicationFactor,
        int start,
        IEnumerable<IReadOnlyList<int>>? existing = null)
    {
        ArgumentNullException.ThrowIfNull(brokers);
        ArgumentOutOfRangeException.ThrowIfNegative(firstPartition);
        ArgumentOutOfRangeException.ThrowIfNegative(partitionCount);
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        var layout = new RackLayout(brokers);
        if (CheckReplicationFactor(replicationFactor, layout.Count) is { } error)
        {
            throw new ReplicaPlacementException(error.Code, error.Message);
        }

        var state = new PlacementState(layout);
        foreach (var replicas in existing ?? [])
        {
            state.Count(replicas);
        }

        // Leaders first, for every partition, so the followers can even out the total replica
        // counts knowing where every leader is.
        var n = layout.Count;
        var leaders = new int[partitionCount];
        for (var i = 0; i < partitionCount; i++)
        {
            leaders[i] = state.PlaceLeader((int)((start + (long)firstPartition + i) % n));
        }

        var result = new int[partitionCount][];
        for (var i = 0; i < partitionCount; i++)
        {
            var shift = (int)((start + (((long)firstPartition + i) / n)) % n);
            result[i] = state.PlaceFollowers(leaders[i], replicationFactor, shift);
        }

        return result;
    }
}
