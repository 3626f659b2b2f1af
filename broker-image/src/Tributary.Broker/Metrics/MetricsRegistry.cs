using System.Text;

namespace Tributary.Broker.Metrics;

/// <summary>
/// Tributary's own Prometheus registry: thread-safe metric families rendered in the text
/// exposition format, families in registration order and children sorted by label values.
/// </summary>
public sealed class MetricsRegistry : IMetricsRegistry, IMetricsExposition
{
    private readonly Lock _lock = new();
    private readonly List<IMetricWriter> _writers = [];
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    public string ContentType => PrometheusText.ContentType;

    public IMetricFamily<ICounter> CreateCounter(string name, string help, params string[] labelNames) =>
        Register(new MetricFamily<Counter>(name, help, MetricType.Counter, Validate(name, labelNames), static () => new Counter(),
            static (sb, f, labels, c) => PrometheusText.AppendSample(sb, f.Name, f.LabelNames, labels, c.Value)));

    public IMetricFamily<IGauge> CreateGauge(string name, string help, params string[] labelNames) =>
        Register(new MetricFamily<Gauge>(name, help, MetricType.Gauge, Validate(name, labelNames), static () => new Gauge(),
            static (sb, f, labels, g) => PrometheusText.AppendSample(sb, f.Name, f.LabelNames, labels, g.Value)));

    public IMetricFamily<IHistogram> CreateHistogram(string name, string help, IReadOnlyList<double> buckets, params string[] labelNames)
    {
        ArgumentNullException.ThrowIfNull(buckets);
        double[] bounds = [.. buckets];
        for (int i = 0; i < bounds.Length; i++)
        {
            if (!double.IsFinite(bounds[i]) || (i > 0 && bounds[i] <= bounds[i - 1]))
            {
                throw new ArgumentException("histogram buckets must be finite and strictly increasing", nameof(buckets));
            }
        }

        if (labelNames.Contains("le"))
        {
            throw new ArgumentException("'le' is reserved for histogram buckets", nameof(labelNames));
        }

        return Register(new MetricFamily<Histogram>(name, help, MetricType.Histogram, Validate(name, labelNames), () => new Histogram(bounds), WriteHistogram));
    }

    public void CreateCallbackGauge(string name, string help, Func<double> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        Register(new CallbackMetric(name, help, MetricType.Gauge, Validate(name, []), () => [new MetricSample([], read())]));
    }

    public void CreateCallbackCounter(string name, string help, Func<double> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        Register(new CallbackMetric(name, help, MetricType.Counter, Validate(name, []), () => [new MetricSample([], read())]));
    }

    public void CreateCallbackGauge(string name, string help, IReadOnlyList<string> labelNames, Func<IEnumerable<MetricSample>> read)
    {
        ArgumentNullException.ThrowIfNull(labelNames);
        ArgumentNullException.ThrowIfNull(read);
        Register(new CallbackMetric(name, help, MetricType.Gauge, Validate(name, [.. labelNames]), read));
    }

    public void CreateCallbackCounter(string name, string help, IReadOnlyList<string> labelNames, Func<IEnumerable<MetricSample>> read)
    {
        ArgumentNullException.ThrowIfNull(labelNames);
        ArgumentNullException.ThrowIfNull(read);
        Register(new CallbackMetric(name, help, MetricType.Counter, Validate(name, [.. labelNames]), read));
    }

    public void WriteTo(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(Render());
    }

    /// <summary>The whole exposition as one string.</summary>
    public string Render()
    {
        IMetricWriter[] writers;
        lock (_lock)
        {
            writers = [.. _writers];
        }

        var sb = new StringBuilder(4096);
        foreach (var w in writers)
        {
            w.Write(sb);
        }

        return sb.ToString();
    }

    private static void WriteHistogram(StringBuilder sb, MetricFamily<Histogram> family, string[] labels, Histogram h)
    {
        long[] counts = h.SnapshotCounts();
        long cumulative = 0;
        string bucketName = family.Name + "_bucket";
        for (int i = 0; i < h.UpperBounds.Count; i++)
        {
            cumulative += counts[i];
            PrometheusText.AppendSample(sb, bucketName, family.LabelNames, labels, cumulative, ("le", PrometheusText.FormatValue(h.UpperBounds[i])));
        }

        cumulative += counts[^1];
        PrometheusText.AppendSample(sb, bucketName, family.LabelNames, labels, cumulative, ("le", "+Inf"));
        PrometheusText.AppendSample(sb, family.Name + "_sum", family.LabelNames, labels, h.Sum);

        // _count comes from the same snapshot as the buckets so it always equals the +Inf bucket.
        PrometheusText.AppendSample(sb, family.Name + "_count", family.LabelNames, labels, cumulative);
    }

    private static string[] Validate(string name, string[] labelNames)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(labelNames);
        if (!PrometheusText.IsValidMetricName(name))
        {
            throw new ArgumentException($"'{name}' is not a valid Prometheus metric name", nameof(name));
        }

        foreach (string label in labelNames)
        {
            if (!PrometheusText.IsValidLabelName(label))
            {
                throw new ArgumentException($"'{label}' is not a valid Prometheus label name", nameof(labelNames));
            }
        }

        if (labelNames.Distinct(StringComparer.Ordinal).Count() != labelNames.Length)
        {
            throw new ArgumentException($"metric {name} repeats a label name", nameof(labelNames));
        }

        return [.. labelNames];
    }

    private T Register<T>(T writer)
        where T : IMetricWriter
    {
        lock (_lock)
        {
            if (!_names.Add(writer.Name))
            {
                throw new ArgumentException($"a metric named '{writer.Name}' is already registered");
            }

            _writers.Add(writer);
        }

        return writer;
    }
}
