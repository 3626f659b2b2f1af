using System.Text;

namespace Tributary.Broker.Metrics;

/// <summary>A gauge or counter whose samples are read at scrape time.</summary>
internal sealed class CallbackMetric : IMetricWriter
{
    private readonly string _help;
    private readonly MetricType _type;
    private readonly IReadOnlyList<string> _labelNames;
    private readonly Func<IEnumerable<MetricSample>> _read;

    public CallbackMetric(string name, string help, MetricType type, IReadOnlyList<string> labelNames, Func<IEnumerable<MetricSample>> read)
    {
        Name = name;
        _help = help;
        _type = type;
        _labelNames = labelNames;
        _read = read;
    }

    public string Name { get; }

    public void Write(StringBuilder sb)
    {
        PrometheusText.AppendHeader(sb, Name, _help, _type);
        List<MetricSample> samples;
        try
        {
            samples = _read().ToList();
        }
#pragma warning disable CA1031 // A failing callback must not break the whole scrape; its family is left empty.
        catch (Exception)
#pragma warning restore CA1031
        {
            return;
        }

        foreach (var sample in samples)
        {
            if (sample.LabelValues.Count == _labelNames.Count)
            {
                PrometheusText.AppendSample(sb, Name, _labelNames, sample.LabelValues, sample.Value);
            }
        }
    }
}
