namespace Tributary.Broker.Metrics;

/// <summary>One sample produced by a labelled callback gauge; label values in the family's label order.</summary>
public readonly record struct MetricSample(IReadOnlyList<string> LabelValues, double Value);
