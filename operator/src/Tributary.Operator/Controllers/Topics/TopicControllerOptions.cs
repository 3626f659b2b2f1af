namespace Tributary.Operator.Controllers.Topics;

/// <summary>Knobs of the topic controller.</summary>
public sealed record TopicControllerOptions
{
    /// <summary>Namespaces to watch; empty watches all.</summary>
    public IReadOnlyList<string> Namespaces { get; init; } = [];

    /// <summary>
    /// How often every Topic is reconciled even without a change, so config changed out of band in Kafka
    /// is reverted and deleted topics are recreated.
    /// </summary>
    public TimeSpan ResyncPeriod { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How soon to look again while the KafkaCluster is missing or not Ready (its changes also trigger a look).</summary>
    public TimeSpan ClusterNotReadyRetry { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Topics reconciled concurrently (a given Topic is never reconciled twice at once).</summary>
    public int Workers { get; init; } = 2;

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
