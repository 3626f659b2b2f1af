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
    double ConsumeRecordsPerSec);
