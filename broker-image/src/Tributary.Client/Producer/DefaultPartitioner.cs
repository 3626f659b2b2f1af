namespace Tributary.Client.Producer;

/// <summary>
/// Java's default: keyed records by murmur2; records without a key sticky (switching after about
/// <c>batchSize</c> bytes, preferring partitions with a leader) or round-robin.
/// </summary>
public sealed class DefaultPartitioner(NullKeyPartitioning nullKeys, int batchSize, Random? random = null) : IPartitioner
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (int Partition, int Bytes)> _sticky = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _counters = new(StringComparer.Ordinal);
    private readonly Random _random = random ?? Random.Shared;

    public int Partition(string topic, byte[]? key, int partitionCount, IReadOnlyList<int> availablePartitions, int recordSize)
    {
        ArgumentNullException.ThrowIfNull(topic);
        ArgumentNullException.ThrowIfNull(availablePartitions);
        if (key is not null)
        {
            return Murmur2.Partition(key, partitionCount);
        }

        lock (_gate)
        {
            if (nullKeys == NullKeyPartitioning.RoundRobin)
            {
                _counters.TryGetValue(topic, out var next);
                _counters[topic] = next + 1;
                var index = (int)((uint)next % (uint)(availablePartitions.Count > 0 ? availablePartitions.Count : partitionCount));
                return availablePartitions.Count > 0 ? availablePartitions[index] : index;
            }

            if (!_sticky.TryGetValue(topic, out var current) || current.Bytes >= batchSize || current.Partition >= partitionCount)
            {
                current = (Choose(partitionCount, availablePartitions, _sticky.TryGetValue(topic, out var previous) ? previous.Partition : -1), 0);
            }

            _sticky[topic] = (current.Partition, current.Bytes + Math.Max(recordSize, 1));
            return current.Partition;
        }
    }

    /// <summary>A random partition other than the previous one when there is a choice.</summary>
    private int Choose(int partitionCount, IReadOnlyList<int> available, int previous)
    {
        var candidates = available.Count > 0 ? available : Enumerable.Range(0, partitionCount).ToList();
        if (candidates.Count == 1)
        {
            return candidates[0];
        }

        var index = _random.Next(candidates.Count);
        return candidates[index] == previous ? candidates[(index + 1) % candidates.Count] : candidates[index];
    }
}
