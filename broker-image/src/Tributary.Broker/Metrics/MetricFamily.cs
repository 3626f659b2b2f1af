using System.Collections.Concurrent;
using System.Text;

namespace Tributary.Broker.Metrics;

/// <summary>A family of labelled children of one type, created lazily and cached by label values.</summary>
internal sealed class MetricFamily<TChild> : IMetricFamily<TChild>, IMetricWriter
    where TChild : class
{
    private readonly ConcurrentDictionary<string, (string[] Labels, TChild Child)> _children = new(StringComparer.Ordinal);
    private readonly Func<TChild> _create;
    private readonly Action<StringBuilder, MetricFamily<TChild>, string[], TChild> _writeChild;

    public MetricFamily(string name, string help, MetricType type, string[] labelNames, Func<TChild> create,
        Action<StringBuilder, MetricFamily<TChild>, string[], TChild> writeChild)
    {
        Name = name;
        Help = help;
        Type = type;
        LabelNames = labelNames;
        _create = create;
        _writeChild = writeChild;
        if (labelNames.Length == 0)
        {
            // A label-free metric exists (as 0) from registration on, as in every Prometheus client.
            WithLabels();
        }
    }

    public string Name { get; }
    public string Help { get; }
    public MetricType Type { get; }
    public IReadOnlyList<string> LabelNames { get; }

    public TChild WithLabels(params string[] labelValues)
    {
        ArgumentNullException.ThrowIfNull(labelValues);
        if (labelValues.Length != LabelNames.Count)
        {
            throw new ArgumentException($"metric {Name} takes {LabelNames.Count} label values, got {labelValues.Length}", nameof(labelValues));
        }

        string key = labelValues.Length == 1 ? labelValues[0] : string.Join('\u0001', labelValues);
        if (_children.TryGetValue(key, out var existing))
        {
            return existing.Child;
        }

        return _children.GetOrAdd(key, static (_, state) => ((string[])state.Labels.Clone(), state.Create()), (Labels: labelValues, Create: _create)).Child;
    }

    public TChild WithLabels(string labelValue)
    {
        ArgumentNullException.ThrowIfNull(labelValue);
        if (LabelNames.Count == 1 && _children.TryGetValue(labelValue, out var existing))
        {
            return existing.Child;
        }

        return WithLabels([labelValue]);
    }

    public bool RemoveLabels(params string[] labelValues)
    {
        ArgumentNullException.ThrowIfNull(labelValues);
        string key = labelValues.Length == 1 ? labelValues[0] : string.Join('\u0001', labelValues);
        return _children.TryRemove(key, out _);
    }

    public void Write(StringBuilder sb)
    {
        PrometheusText.AppendHeader(sb, Name, Help, Type);
        foreach (var (labels, child) in _children.Values.OrderBy(c => c.Labels, LabelComparer.Instance))
        {
            _writeChild(sb, this, labels, child);
        }
    }

    private sealed class LabelComparer : IComparer<string[]>
    {
        public static readonly LabelComparer Instance = new();

        public int Compare(string[]? x, string[]? y)
        {
            for (int i = 0; i < Math.Min(x!.Length, y!.Length); i++)
            {
                int c = string.CompareOrdinal(x[i], y[i]);
                if (c != 0)
                {
                    return c;
                }
            }

            return x.Length.CompareTo(y.Length);
        }
    }
}
