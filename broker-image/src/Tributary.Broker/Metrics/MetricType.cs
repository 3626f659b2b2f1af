namespace Tributary.Broker.Metrics;

/// <summary>The Prometheus metric types this registry writes in <c># TYPE</c> lines.</summary>
public enum MetricType
{
    Counter,
    Gauge,
    Histogram,
}
