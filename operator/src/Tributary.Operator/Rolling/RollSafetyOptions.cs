namespace Tributary.Operator.Rolling;

/// <summary>When a KRaft voter counts as caught up for <see cref="RollSafety"/>.</summary>
public sealed record RollSafetyOptions
{
    public static RollSafetyOptions Default { get; } = new();

    /// <summary>
    /// How long ago, on the quorum leader's clock, a voter may last have been caught up. Kafka's
    /// <c>controller.quorum.fetch.timeout.ms</c> (2 s) by default: a voter silent for longer would start
    /// an election itself, so it is no longer a dependable member of the majority.
    /// </summary>
    public TimeSpan MaxCaughtUpAge { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How many records a voter's log end may trail the quorum high watermark.</summary>
    public long MaxLagRecords { get; init; } = 1000;

    /// <summary>How many offending partitions a refusal names before summarising the rest.</summary>
    public int MaxNamedPartitions { get; init; } = 5;
}
