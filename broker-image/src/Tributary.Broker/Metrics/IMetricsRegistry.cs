namespace Tributary.Broker.Metrics;

/// <summary>
/// Creates metrics. The broker and its handlers depend only on this interface, so the Prometheus
/// implementation (<see cref="MetricsRegistry"/>) can be replaced (OpenTelemetry, prometheus-net)
/// without touching them. Names follow Prometheus rules: <c>[a-zA-Z_:][a-zA-Z0-9_:]*</c>.
/// </summary>
public interface IMetricsRegistry
{
    IMetricFamily<ICounter> CreateCounter(string name, string help, params string[] labelNames);

    IMetricFamily<IGauge> CreateGauge(string name, string help, params string[] labelNames);

    /// <summary>Buckets are upper bounds, strictly increasing; <c>+Inf</c> is implied.</summary>
    IMetricFamily<IHistogram> CreateHistogram(string name, string help, IReadOnlyList<double> buckets, params string[] labelNames);

    /// <summary>A gauge read at scrape time (memory in use, queue lengths...). The callback must be thread-safe.</summary>
    void CreateCallbackGauge(string name, string help, Func<double> read);

    /// <summary>A counter read at scrape time (for totals kept elsewhere, such as CPU time).</summary>
    void CreateCallbackCounter(string name, string help, Func<double> read);

    /// <summary>A labelled gauge whose samples are all produced at scrape time (e.g. per-partition sizes).</summary>
    void CreateCallbackGauge(string name, string help, IReadOnlyList<string> labelNames, Func<IEnumerable<MetricSample>> read);

    /// <summary>A labelled counter whose samples are all produced at scrape time (e.g. collections per GC generation).</summary>
    void CreateCallbackCounter(string name, string help, IReadOnlyList<string> labelNames, Func<IEnumerable<MetricSample>> read);
}
