namespace Tributary.Broker.Metrics;

/// <summary>
/// A named metric and its labelled children. For a family without labels, <see cref="WithLabels(string[])"/>
/// with no arguments returns its single child. Children are created on first use and cached: hot paths
/// should keep the child rather than look it up per event.
/// </summary>
public interface IMetricFamily<out TChild>
{
    string Name { get; }

    IReadOnlyList<string> LabelNames { get; }

    TChild WithLabels(params string[] labelValues);

    /// <summary>Single-label lookup without an array allocation.</summary>
    TChild WithLabels(string labelValue);

    /// <summary>Drops a child (a deleted topic's partition, a closed listener); false if absent.</summary>
    bool RemoveLabels(params string[] labelValues);
}
