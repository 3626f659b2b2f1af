namespace Tributary.Storage;

/// <summary>Broker-level storage settings (Kafka's <c>log.dirs</c> and <c>log.*</c> scheduler settings).</summary>
public sealed record LogManagerOptions
{
    /// <summary><c>log.dirs</c>: each holds partition directories and its own checkpoint files.</summary>
    public required IReadOnlyList<string> LogDirs { get; init; }

    /// <summary>Settings for topics without an override.</summary>
    public LogConfig DefaultConfig { get; init; } = LogConfig.Default;

    /// <summary>Per-topic settings for logs found at startup or created without explicit settings (null: default).</summary>
    public Func<string, LogConfig?>? TopicConfig { get; init; }

    /// <summary>
    /// Highest offset compaction may reach per partition (exclusive): the broker passes the
    /// last stable offset / high watermark. Null: the log end offset.
    /// </summary>
    public Func<TopicPartition, long>? CleanableUpperBound { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary><c>log.retention.check.interval.ms</c> (5 minutes).</summary>
    public TimeSpan RetentionCheckInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary><c>log.cleaner.backoff.ms</c> (15 seconds).</summary>
    public TimeSpan CleanerInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary><c>log.cleaner.enable</c>: false runs no compaction at all.</summary>
    public bool CleanerEnabled { get; init; } = true;

    /// <summary>How often <c>flush.ms</c> is checked (<c>log.flush.scheduler.interval.ms</c>).</summary>
    public TimeSpan FlushCheckInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary><c>log.flush.offset.checkpoint.interval.ms</c> (1 minute); also used for the log start offset checkpoint.</summary>
    public TimeSpan CheckpointInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary><c>num.recovery.threads.per.data.dir</c>: logs opened in parallel at startup.</summary>
    public int RecoveryThreads { get; init; } = Math.Max(1, Environment.ProcessorCount);
}
