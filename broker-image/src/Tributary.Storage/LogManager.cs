using System.Collections.Concurrent;

namespace Tributary.Storage;

/// <summary>
/// All partition logs of a broker across its log dirs: opens them at startup (recovering in
/// parallel), creates and deletes them, runs retention, compaction, flush and checkpointing in
/// the background on an injectable clock, and checkpoints recovery points and log start
/// offsets on clean shutdown.
/// </summary>
public sealed class LogManager : IAsyncDisposable, IDisposable
{
    private const string DeleteDirSuffix = "-delete";

    private readonly LogManagerOptions _options;
    private readonly string[] _logDirs;
    private readonly ConcurrentDictionary<TopicPartition, PartitionLog> _logs = new();
    private readonly ConcurrentDictionary<Task, byte> _deletions = new();
    private readonly object _createLock = new();
    private readonly object _checkpointLock = new();
    private CancellationTokenSource? _stop;
    private Task[] _background = [];
    private bool _started;
    private bool _disposed;
    private int _backgroundErrors;

    public LogManager(LogManagerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.LogDirs.Count == 0)
        {
            throw new ArgumentException("at least one log dir is required", nameof(options));
        }

        _options = options;
        _logDirs = [.. options.LogDirs.Select(d => Path.TrimEndingDirectorySeparator(Path.GetFullPath(d)))];
    }

    public IReadOnlyCollection<PartitionLog> Logs => [.. _logs.Values];

    /// <summary>Opens every partition log found in the log dirs and removes directories left for deletion.</summary>
    public void Startup()
    {
        lock (_createLock)
        {
            if (_started)
            {
                return;
            }

            _started = true;
            var work = new List<(string Dir, TopicPartition Tp, long RecoveryPoint, long LogStart)>();
            var seen = new HashSet<TopicPartition>();
            foreach (var logDir in _logDirs)
            {
                Directory.CreateDirectory(logDir);
                var recoveryPoints = OffsetCheckpointFile.Read(Path.Combine(logDir, OffsetCheckpointFile.RecoveryPointFileName));
                var logStarts = OffsetCheckpointFile.Read(Path.Combine(logDir, OffsetCheckpointFile.LogStartOffsetFileName));
                foreach (var dir in Directory.EnumerateDirectories(logDir))
                {
                    var name = Path.GetFileName(dir);
                    if (name.EndsWith(DeleteDirSuffix, StringComparison.Ordinal))
                    {
                        RemoveDirectoryAsync(dir);
                        continue;
                    }

                    if (!TopicPartition.TryParseDirectoryName(name, out var tp))
                    {
                        continue;
                    }

                    if (!seen.Add(tp))
                    {
                        throw new InvalidOperationException($"partition {tp} exists in more than one log dir");
                    }

                    work.Add((dir, tp, recoveryPoints.GetValueOrDefault(tp), logStarts.GetValueOrDefault(tp)));
                }
            }

            var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.RecoveryThreads };
            Parallel.ForEach(work, parallel, item =>
            {
                var log = PartitionLog.Open(item.Dir, item.Tp, ConfigFor(item.Tp.Topic), item.RecoveryPoint, item.LogStart, _options.Time);
                _logs[item.Tp] = log;
            });

            // Recovery validated and flushed everything; record that before any new append.
            CheckpointAll();
        }
    }

    public PartitionLog? GetLog(TopicPartition topicPartition) => _logs.GetValueOrDefault(topicPartition);

    /// <summary>Returns the log, creating it (in the log dir with the fewest partitions) when missing.</summary>
    public PartitionLog GetOrCreateLog(TopicPartition topicPartition, LogConfig? config = null)
    {
        if (_logs.TryGetValue(topicPartition, out var existing))
        {
            return existing;
        }

        lock (_createLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_logs.TryGetValue(topicPartition, out existing))
            {
                return existing;
            }

            var logDir = _logDirs.OrderBy(d => _logs.Values.Count(l => IsIn(l, d))).First();
            var directory = Path.Combine(logDir, topicPartition.DirectoryName);
            var log = PartitionLog.Open(directory, topicPartition, config ?? ConfigFor(topicPartition.Topic), time: _options.Time);
            DirectorySync.Flush(logDir);
            _logs[topicPartition] = log;
            return log;
        }
    }

    /// <summary>
    /// Deletes a partition: closes it, renames its directory to <c>&lt;topic&gt;-&lt;partition&gt;.&lt;uuid&gt;-delete</c>
    /// (so a crash cannot resurrect it) and removes the files in the background. The returned
    /// task completes when the files are gone. The broker must stop serving the partition first.
    /// </summary>
    public Task DeleteLogAsync(TopicPartition topicPartition)
    {
        if (!_logs.TryRemove(topicPartition, out var log))
        {
            return Task.CompletedTask;
        }

        log.Dispose();
        var parent = Path.GetDirectoryName(log.Directory)!;
        var renamed = Path.Combine(parent, $"{topicPartition.DirectoryName}.{Guid.NewGuid():N}{DeleteDirSuffix}");
        Directory.Move(log.Directory, renamed);
        DirectorySync.Flush(parent);
        CheckpointAll();
        return RemoveDirectoryAsync(renamed);
    }

    /// <summary>Applies new settings to every partition of <paramref name="topic"/>.</summary>
    public void UpdateTopicConfig(string topic, LogConfig config)
    {
        foreach (var log in _logs.Values.Where(l => l.TopicPartition.Topic == topic))
        {
            log.Config = config;
        }
    }

    /// <summary>Retention for every log with a delete policy. Returns the segments removed.</summary>
    public int CleanupLogs()
    {
        var removed = 0;
        foreach (var log in _logs.Values)
        {
            removed += log.DeleteOldSegments();
            log.DeletePendingFiles();
        }

        return removed;
    }

    /// <summary>Compacts every compacted log that needs it. Returns the bytes reclaimed.</summary>
    public long CompactLogs()
    {
        long reclaimed = 0;
        foreach (var log in _logs.Values)
        {
            if (log.NeedsCompaction())
            {
                reclaimed += log.Compact(_options.CleanableUpperBound?.Invoke(log.TopicPartition) ?? long.MaxValue);
            }
        }

        return reclaimed;
    }

    /// <summary>Flushes logs whose unflushed data is older than their <c>flush.ms</c>.</summary>
    public void FlushDirtyLogs()
    {
        foreach (var log in _logs.Values)
        {
            log.FlushIfDue();
        }
    }

    /// <summary>Writes both checkpoint files of every log dir.</summary>
    public void CheckpointAll()
    {
        lock (_checkpointLock)
        {
            foreach (var logDir in _logDirs)
            {
                var logs = _logs.Values.Where(l => !l.IsClosed && IsIn(l, logDir)).ToList();
                OffsetCheckpointFile.Write(Path.Combine(logDir, OffsetCheckpointFile.RecoveryPointFileName), logs.ToDictionary(l => l.TopicPartition, l => l.RecoveryPoint));
                OffsetCheckpointFile.Write(Path.Combine(logDir, OffsetCheckpointFile.LogStartOffsetFileName), logs.ToDictionary(l => l.TopicPartition, l => l.LogStartOffset));
            }
        }
    }

    /// <summary>Starts the background retention, cleaner, flush and checkpoint loops.</summary>
    public void StartBackgroundTasks()
    {
        lock (_createLock)
        {
            if (_stop is not null)
            {
                return;
            }

            _stop = new CancellationTokenSource();
            var token = _stop.Token;
            _background =
            [
                Loop(_options.RetentionCheckInterval, () => CleanupLogs(), token),
                Loop(_options.FlushCheckInterval, FlushDirtyLogs, token),
                Loop(_options.CheckpointInterval, CheckpointAll, token),
                .. _options.CleanerEnabled ? [Loop(_options.CleanerInterval, () => CompactLogs(), token)] : Array.Empty<Task>(),
            ];
        }
    }

    /// <summary>Clean shutdown: stops background work, flushes and closes every log, writes checkpoints.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        if (_stop is { } stop)
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(_background).ConfigureAwait(false);
            stop.Dispose();
        }

        Shutdown();
        await Task.WhenAll(_deletions.Keys).ConfigureAwait(false);
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        if (_stop is { } stop)
        {
            stop.Cancel();
            Task.WaitAll(_background);
            stop.Dispose();
        }

        Shutdown();
    }

    private void Shutdown()
    {
        lock (_createLock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        Parallel.ForEach(_logs.Values, new ParallelOptions { MaxDegreeOfParallelism = _options.RecoveryThreads }, log => log.Flush());
        CheckpointAll();
        foreach (var log in _logs.Values)
        {
            log.Dispose();
        }
    }

    private static bool IsIn(PartitionLog log, string logDir) =>
        string.Equals(Path.GetDirectoryName(Path.GetFullPath(log.Directory)), logDir, StringComparison.Ordinal);

    private LogConfig ConfigFor(string topic) => _options.TopicConfig?.Invoke(topic) ?? _options.DefaultConfig;

    private Task RemoveDirectoryAsync(string directory)
    {
        var task = Task.Run(() =>
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (DirectoryNotFoundException)
            {
                // Already gone.
            }
        });
        _deletions[task] = 0;
        _ = task.ContinueWith(t => _deletions.TryRemove(t, out _), TaskScheduler.Default);
        return task;
    }

    private async Task Loop(TimeSpan interval, Action action, CancellationToken token)
    {
        using var timer = new PeriodicTimer(interval, _options.Time);
        try
        {
            while (await timer.WaitForNextTickAsync(token).ConfigureAwait(false))
            {
                try
                {
                    action();
                }
                catch (Exception e) when (e is IOException or StorageException or UnauthorizedAccessException)
                {
                    // One failing log must not stop maintenance of the others; the next tick retries.
                    Interlocked.Increment(ref _backgroundErrors);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Shutdown.
        }
    }

    /// <summary>Errors swallowed by background loops (exposed for metrics).</summary>
    public int BackgroundErrors => Volatile.Read(ref _backgroundErrors);
}
