namespace Tributary.Storage;

/// <summary>
/// Per-topic log settings with Kafka's defaults. The broker maps topic configs
/// (<c>segment.bytes</c>, <c>retention.ms</c>, ...) onto this record; a log picks up a new
/// instance through <see cref="PartitionLog.Config"/>.
/// </summary>
public sealed record LogConfig
{
    public static LogConfig Default { get; } = new();

    /// <summary><c>segment.bytes</c>: roll the active segment before it would exceed this size.</summary>
    public int SegmentBytes { get; init; } = 1024 * 1024 * 1024;

    /// <summary><c>segment.ms</c>: roll the active segment once it is this old (from its first append).</summary>
    public long SegmentMs { get; init; } = 7L * 24 * 60 * 60 * 1000;

    /// <summary><c>segment.index.bytes</c>: roll when the offset index would exceed this size.</summary>
    public int SegmentIndexBytes { get; init; } = 10 * 1024 * 1024;

    /// <summary><c>retention.ms</c>; negative means unlimited.</summary>
    public long RetentionMs { get; init; } = 7L * 24 * 60 * 60 * 1000;

    /// <summary><c>retention.bytes</c>; negative means unlimited.</summary>
    public long RetentionBytes { get; init; } = -1;

    /// <summary><c>cleanup.policy</c>.</summary>
    public CleanupPolicy CleanupPolicy { get; init; } = CleanupPolicy.Delete;

    /// <summary><c>min.compaction.lag.ms</c>: segments newer than this are not compacted.</summary>
    public long MinCompactionLagMs { get; init; }

    /// <summary><c>delete.retention.ms</c>: how long a tombstone survives after it is first compacted.</summary>
    public long DeleteRetentionMs { get; init; } = 24L * 60 * 60 * 1000;

    /// <summary><c>min.cleanable.dirty.ratio</c>: the background cleaner compacts a log once this share of it is dirty.</summary>
    public double MinCleanableDirtyRatio { get; init; } = 0.5;

    /// <summary><c>index.interval.bytes</c>: bytes of log between offset index entries.</summary>
    public int IndexIntervalBytes { get; init; } = 4096;

    /// <summary><c>flush.messages</c>: fsync after this many records (default: never, rely on replication).</summary>
    public long FlushMessages { get; init; } = long.MaxValue;

    /// <summary><c>flush.ms</c>: fsync once unflushed data is this old (default: never).</summary>
    public long FlushMs { get; init; } = long.MaxValue;

    /// <summary><c>message.timestamp.type</c>.</summary>
    public MessageTimestampType MessageTimestampType { get; init; } = MessageTimestampType.CreateTime;

    /// <summary><c>max.message.bytes</c>: largest record batch accepted.</summary>
    public int MaxMessageBytes { get; init; } = 1024 * 1024 + 12;

    /// <summary><c>file.delete.delay.ms</c>: removed segments stay open this long so in-flight reads finish.</summary>
    public long FileDeleteDelayMs { get; init; } = 60_000;

    /// <summary>
    /// <c>tributary.log.page.cache.retain.bytes</c> (broker-wide, Tributary's own): each segment keeps at most
    /// about this many of its newest bytes in the OS page cache; older written bytes are written
    /// back and dropped. Negative: leave the cache to the kernel, as Kafka does.
    /// </summary>
    public long PageCacheRetainBytes { get; init; } = DefaultPageCacheRetainBytes;

    /// <summary>64 MiB: a caught-up consumer or follower reads from memory even a few seconds behind at full speed.</summary>
    public const long DefaultPageCacheRetainBytes = 64L * 1024 * 1024;

    /// <summary>Offset index entries that fit in <see cref="SegmentIndexBytes"/>.</summary>
    internal int MaxIndexEntries => Math.Max(1, SegmentIndexBytes / OffsetIndex.EntrySize);
}
