using Tributary.Storage;

namespace Tributary.Broker.Config;

/// <summary>The broker's <c>log.*</c> scheduler settings as the log manager's options.</summary>
public static class BrokerStorageOptions
{
    /// <summary>
    /// Log dirs and the retention, cleaner and checkpoint timers from <paramref name="config"/>; the
    /// caller adds what needs the running broker (topic configs, the cleanable bound, the clock).
    /// </summary>
    public static LogManagerOptions From(BrokerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new LogManagerOptions
        {
            LogDirs = config.LogDirs,
            RetentionCheckInterval = TimeSpan.FromMilliseconds(config.LogRetentionCheckIntervalMs),
            CleanerEnabled = config.LogCleanerEnable,
            CleanerInterval = TimeSpan.FromMilliseconds(config.LogCleanerBackoffMs),
            CheckpointInterval = TimeSpan.FromMilliseconds(config.LogFlushOffsetCheckpointIntervalMs),
        };
    }
}
