namespace Tributary.Broker.Metrics;

/// <summary>A value that goes up and down (Prometheus gauge).</summary>
public interface IGauge
{
    double Value { get; }

    void Set(double value);

    void Inc(double amount = 1);

    void Dec(double amount = 1);
}
