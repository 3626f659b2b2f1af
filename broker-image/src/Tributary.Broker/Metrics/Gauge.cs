namespace Tributary.Broker.Metrics;

/// <summary>Thread-safe gauge child.</summary>
internal sealed class Gauge : IGauge
{
    private long _bits;

    public double Value => AtomicDouble.Read(ref _bits);

    public void Set(double value) => AtomicDouble.Write(ref _bits, value);

    public void Inc(double amount = 1) => AtomicDouble.Add(ref _bits, amount);

    public void Dec(double amount = 1) => AtomicDouble.Add(ref _bits, -amount);
}
