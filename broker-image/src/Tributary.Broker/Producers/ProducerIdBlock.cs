namespace Tributary.Broker.Producers;

/// <summary>
/// A contiguous range of producer ids reserved for one broker (like Kafka's AllocateProducerIds).
/// The reserving side persists <see cref="NextBlockFirstId"/> before handing the block out, so
/// ids are never reused after a restart.
/// </summary>
public readonly record struct ProducerIdBlock(long FirstId, int Size)
{
    /// <summary>Kafka's block size.</summary>
    public const int DefaultSize = 1000;

    public long LastId => FirstId + Size - 1;

    public long NextBlockFirstId => FirstId + Size;

    /// <summary>The block that starts at a persisted "next free id" counter.</summary>
    public static ProducerIdBlock StartingAt(long nextFreeId, int size = DefaultSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(nextFreeId);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        if (nextFreeId > long.MaxValue - size)
        {
            throw new InvalidOperationException("producer id space exhausted");
        }

        return new ProducerIdBlock(nextFreeId, size);
    }
}
