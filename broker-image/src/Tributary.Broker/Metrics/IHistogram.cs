namespace Tributary.Broker.Metrics;

/// <summary>A distribution of observations in fixed buckets (Prometheus histogram).</summary>
public interface IHistogram
{
    long Count { get; }

    double Sum { get; }

    void Observe(double value);
}
