namespace Tributary.Bench;

/// <summary>Figures for one workload against one target.</summary>
internal sealed record Result(
    string Target,
    Workload Workload,
    double ProduceMBps,
    double ProduceRecordsPerSec,
    double P50Ms,
    double P99Ms,
    double P999Ms,
    double ConsumeMBps,
    double ConsumeRecordsPerSec)
{
    /// <summary>
    /// CPU seconds the bench process (the client, and for the mock the in-process mock broker too)
    /// spent per GB produced. Steadier than MB/s on a shared machine: it counts work, not waiting.
    /// </summary>
    public double ClientCpuPerGB { get; init; }

    /// <summary>CPU seconds the broker process spent per GB produced; NaN when the broker runs inside the client (the mock).</summary>
    public double BrokerCpuPerGB { get; init; } = double.NaN;

    /// <summary>Client and broker CPU together per GB: what the whole produce path costs.</summary>
    public double TotalCpuPerGB => double.IsNaN(BrokerCpuPerGB) ? ClientCpuPerGB : ClientCpuPerGB + BrokerCpuPerGB;

    /// <summary>Lowest and highest produce MB/s of the repetitions this result summarizes.</summary>
    public (double Min, double Max) ProduceSpread { get; init; } = (ProduceMBps, ProduceMBps);

    /// <summary>
    /// The median of each figure over repeated runs of one cell, taken figure by figure: one slow
    /// run (a neighbour's build, a GC pause) moves neither the throughput nor the percentiles.
    /// </summary>
    public static Result Median(IReadOnlyList<Result> runs)
    {
        ArgumentOutOfRangeException.ThrowIfZero(runs.Count);
        double Of(Func<Result, double> figure)
        {
            var values = runs.Select(figure).Order().ToArray();
            var mid = values.Length / 2;
            return values.Length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
        }

        return new Result(runs[0].Target, runs[0].Workload, Of(r => r.ProduceMBps), Of(r => r.ProduceRecordsPerSec),
            Of(r => r.P50Ms), Of(r => r.P99Ms), Of(r => r.P999Ms), Of(r => r.ConsumeMBps), Of(r => r.ConsumeRecordsPerSec))
        {
            ProduceSpread = (runs.Min(r => r.ProduceMBps), runs.Max(r => r.ProduceMBps)),
            ClientCpuPerGB = Of(r => r.ClientCpuPerGB),
            BrokerCpuPerGB = Of(r => r.BrokerCpuPerGB),
        };
    }
}
