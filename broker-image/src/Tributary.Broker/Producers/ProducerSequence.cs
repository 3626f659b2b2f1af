namespace Tributary.Broker.Producers;

/// <summary>Sequence arithmetic of idempotent batches: sequences wrap from int.MaxValue to 0.</summary>
public static class ProducerSequence
{
    /// <summary>Producer id of batches from non-idempotent producers.</summary>
    public const long NoProducerId = -1;

    /// <summary>Sequence of a batch by <paramref name="delta"/> records after <paramref name="sequence"/>, wrapping.</summary>
    public static int Increment(int sequence, int delta)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(delta);
        return sequence > int.MaxValue - delta ? delta - (int.MaxValue - sequence) - 1 : sequence + delta;
    }

    /// <summary>Whether <paramref name="next"/> directly follows <paramref name="last"/>.</summary>
    public static bool InSequence(int last, int next) => next == last + 1L || (next == 0 && last == int.MaxValue);
}
