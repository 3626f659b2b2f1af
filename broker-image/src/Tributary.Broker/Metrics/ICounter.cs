namespace Tributary.Broker.Metrics;

/// <summary>A monotonically increasing value (Prometheus counter).</summary>
public interface ICounter
{
    double Value { get; }

    /// <summary>Adds <paramref name="amount"/>, which must not be negative.</summary>
    void Inc(double amount = 1);
}
