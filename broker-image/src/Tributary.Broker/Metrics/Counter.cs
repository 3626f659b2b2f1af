namespace Tributary.Broker.Metrics;

/// <summary>Thread-safe counter child.</summary>
internal sealed class Counter : ICounter
{
    private long _bits;

    public double Value => AtomicDouble.Read(ref _bits);

    public void Inc(double amount = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(amount);
        AtomicDouble.Add(ref _bits, amount);
    }
}
