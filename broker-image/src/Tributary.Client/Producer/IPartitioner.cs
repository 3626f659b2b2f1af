namespace Tributary.Client.Producer;

/// <summary>Chooses a partition for a record that did not name one.</summary>
public interface IPartitioner
{
    /// <param name="topic">The record's topic.</param>
    /// <param name="key">The key (null for none).</param>
    /// <param name="partitionCount">The topic's partition count.</param>
    /// <param name="availablePartitions">Partitions that currently have a leader (may be empty).</param>
    /// <param name="recordSize">Approximate bytes of the record, for sticky accounting.</param>
    int Partition(string topic, byte[]? key, int partitionCount, IReadOnlyList<int> availablePartitions, int recordSize);
}
