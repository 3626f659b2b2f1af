namespace Tributary.Broker.Metrics;

/// <summary>
/// Thread-safe histogram child. Counts are kept per bucket (not cumulative) so an observation is
/// one interlocked increment; the exposition accumulates them.
/// </summary>
internal sealed class Histogram : IHistogram
{
    private readonly double[] _upperBounds;
    private readonly long[] _counts; // last slot = above the highest bound (+Inf)
    private long _sumBits;

    public Histogram(double[] upperBounds)
    {
        _upperBounds = upperBounds;
        _counts = new long[upperBounds.Length + 1];
    }

    public IReadOnlyList<double> UpperBounds => _upperBounds;

    public long Count
    {
        get
        {
            long total = 0;
            for (int i = 0; i < _counts.Length; i++)
            {
                total += Volatile.Read(ref _counts[i]);
            }

            return total;
        }
    }

    public double Sum => AtomicDouble.Read(ref _sumBits);

    public void Observe(double value)
    {
        if (double.IsNaN(value))
        {
            return;
        }

        // A value equal to a bound belongs in that bound's bucket (le = "less than or equal").
        int index = Array.BinarySearch(_upperBounds, value);
        if (index < 0)
        {
            index = ~index;
        }

        Interlocked.Increment(ref _counts[index]);
        AtomicDouble.Add(ref _sumBits, value);
    }

    /// <summary>Copies the per-bucket counts (including the +Inf slot) for one consistent exposition.</summary>
    public long[] SnapshotCounts()
    {
        var copy = new long[_counts.Length];
        for (int i = 0; i < copy.Length; i++)
        {
            copy[i] = Volatile.Read(ref _counts[i]);
        }

        return copy;
    }
}
