namespace Tributary.Operator.Hosting;

/// <summary>
/// The operator's metrics, served on /metrics in the Prometheus text format. Controllers report through
/// this interface only, so the exposition code can change without touching them.
/// </summary>
public interface IOperatorMetrics
{
    /// <summary>Counts one reconcile of <paramref name="controller"/> and records its duration.</summary>
    void ObserveReconcile(string controller, TimeSpan duration, bool succeeded);

    /// <summary>Registers a gauge read at scrape time: the work queue depth of a controller.</summary>
    void RegisterQueue(string controller, Func<int> depth);

    /// <summary>1 while this instance holds the leader lease.</summary>
    void SetLeader(bool leading);

    /// <summary>Writes every metric in the Prometheus text exposition format (version 0.0.4).</summary>
    void WriteTo(TextWriter writer);
}
