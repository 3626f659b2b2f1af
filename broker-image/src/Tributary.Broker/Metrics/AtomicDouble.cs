namespace Tributary.Broker.Metrics;

/// <summary>Lock-free double arithmetic (compare-and-swap on the bit pattern).</summary>
internal static class AtomicDouble
{
    public static void Add(ref long bits, double amount)
    {
        long current = Volatile.Read(ref bits);
        while (true)
        {
            long next = BitConverter.DoubleToInt64Bits(BitConverter.Int64BitsToDouble(current) + amount);
            long seen = Interlocked.CompareExchange(ref bits, next, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    public static double Read(ref long bits) => BitConverter.Int64BitsToDouble(Volatile.Read(ref bits));

    public static void Write(ref long bits, double value) => Volatile.Write(ref bits, BitConverter.DoubleToInt64Bits(value));
}
