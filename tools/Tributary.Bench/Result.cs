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
        };
    }
}
