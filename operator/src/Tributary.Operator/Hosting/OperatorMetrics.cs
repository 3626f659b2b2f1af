using System.Collections.Concurrent;
using System.Globalization;

namespace Tributary.Operator.Hosting;

/// <summary>
/// In-memory operator metrics: reconcile counters, a reconcile duration histogram, error counters and
/// queue depth gauges per controller, and a leader gauge.
/// </summary>
public sealed class OperatorMetrics : IOperatorMetrics
{
    /// <summary>Histogram bucket upper bounds in seconds (controller-runtime's spread, trimmed).</summary>
    public static readonly double[] DurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

    private readonly ConcurrentDictionary<string, ControllerSeries> _series = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Func<int>> _queues = new(StringComparer.Ordinal);
    private int _leader;

    public void ObserveReconcile(string controller, TimeSpan duration, bool succeeded)
    {
        var series = _series.GetOrAdd(controller, _ => new ControllerSeries());
        series.Observe(duration.TotalSeconds, succeeded);
    }

    public void RegisterQueue(string controller, Func<int> depth) => _queues[controller] = depth;

    public void SetLeader(bool leading) => Interlocked.Exchange(ref _leader, leading ? 1 : 0);

    /// <summary>Reconciles counted so far for one controller (success and error).</summary>
    public long ReconcileCount(string controller) => _series.TryGetValue(controller, out var s) ? s.Snapshot().Total : 0;

    public void WriteTo(TextWriter writer)
    {
        var w = new PrometheusTextWriter(writer);
        var snapshots = _series.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (Name: p.Key, Data: p.Value.Snapshot())).ToList();

        w.Header("tributary_operator_reconcile_total", "counter", "Reconciles by controller and result.");
        foreach (var (name, data) in snapshots)
        {
            w.Sample("tributary_operator_reconcile_total", data.Total - data.Errors, ("controller", name), ("result", "success"));
            w.Sample("tributary_operator_reconcile_total", data.Errors, ("controller", name), ("result", "error"));
        }

        w.Header("tributary_operator_reconcile_errors_total", "counter", "Reconciles that failed and were requeued with backoff.");
        foreach (var (name, data) in snapshots)
        {
            w.Sample("tributary_operator_reconcile_errors_total", data.Errors, ("controller", name));
        }

        w.Header("tributary_operator_reconcile_duration_seconds", "histogram", "Time spent in one reconcile.");
        foreach (var (name, data) in snapshots)
        {
            long cumulative = 0;
            for (var i = 0; i < DurationBuckets.Length; i++)
            {
                cumulative += data.Buckets[i];
                w.Sample("tributary_operator_reconcile_duration_seconds_bucket", cumulative,
                    ("controller", name), ("le", DurationBuckets[i].ToString(CultureInfo.InvariantCulture)));
            }

            w.Sample("tributary_operator_reconcile_duration_seconds_bucket", data.Total, ("controller", name), ("le", "+Inf"));
            w.Sample("tributary_operator_reconcile_duration_seconds_sum", data.Sum, ("controller", name));
            w.Sample("tributary_operator_reconcile_duration_seconds_count", data.Total, ("controller", name));
        }

        w.Header("tributary_operator_workqueue_depth", "gauge", "Keys waiting in a controller's work queue.");
        foreach (var (name, depth) in _queues.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            w.Sample("tributary_operator_workqueue_depth", depth(), ("controller", name));
        }

        w.Header("tributary_operator_leader", "gauge", "1 while this instance holds the leader lease.");
        w.Sample("tributary_operator_leader", Volatile.Read(ref _leader));
    }

    private sealed class ControllerSeries
    {
        private readonly Lock _lock = new();
        private readonly long[] _buckets = new long[DurationBuckets.Length];
        private long _total;
        private long _errors;
        private double _sum;

        public void Observe(double seconds, bool succeeded)
        {
            lock (_lock)
            {
                _total++;
                _sum += seconds;
                if (!succeeded)
                {
                    _errors++;
                }

                // Buckets hold non-cumulative counts; WriteTo accumulates them.
                var index = Array.FindIndex(DurationBuckets, b => seconds <= b);
                if (index >= 0)
                {
                    _buckets[index]++;
                }
            }
        }

        public (long Total, long Errors, double Sum, long[] Buckets) Snapshot()
        {
            lock (_lock)
            {
                return (_total, _errors, _sum, (long[])_buckets.Clone());
            }
        }
    }
}
