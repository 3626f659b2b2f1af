namespace Tributary.Broker.Groups;

/// <summary>Broker settings that shape the group coordinator; defaults are Kafka's.</summary>
public sealed record GroupCoordinatorConfig
{
    /// <summary>group.min.session.timeout.ms</summary>
    public int MinSessionTimeoutMs { get; init; } = 6_000;

    /// <summary>group.max.session.timeout.ms</summary>
    public int MaxSessionTimeoutMs { get; init; } = 1_800_000;

    /// <summary>group.initial.rebalance.delay.ms: how long an empty group waits for more members.</summary>
    public int InitialRebalanceDelayMs { get; init; } = 3_000;

    /// <summary>group.max.size</summary>
    public int GroupMaxSize { get; init; } = int.MaxValue;

    /// <summary>offsets.topic.num.partitions</summary>
    public int OffsetsTopicPartitions { get; init; } = 50;

    /// <summary>offsets.retention.minutes, in milliseconds (Kafka default 7 days).</summary>
    public long OffsetsRetentionMs { get; init; } = 7L * 24 * 60 * 60 * 1000;

    /// <summary>offsets.retention.check.interval.ms</summary>
    public long OffsetsRetentionCheckIntervalMs { get; init; } = 600_000;

    /// <summary>offset.metadata.max.bytes</summary>
    public int OffsetMetadataMaxBytes { get; init; } = 4096;

    /// <summary>
    /// How long a brand-new member may wait in a rebalance before it is dropped (Kafka's fixed
    /// 5 minutes): new members cannot heartbeat, so this bounds defunct joins.
    /// </summary>
    public int NewMemberJoinTimeoutMs { get; init; } = 300_000;
}
