namespace Tributary.Storage.Tests;

public sealed class LogManagerTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private LogManagerOptions Options(ManualTimeProvider time, Func<string, LogConfig?>? topicConfig = null) => new()
    {
        LogDirs = [_dir.Sub("d1"), _dir.Sub("d2")],
        Time = time,
        TopicConfig = topicConfig,
        DefaultConfig = LogConfig.Default with { SegmentBytes = 800, FileDeleteDelayMs = 0 },
    };

    [Fact]
    public async Task LogsSurviveACleanRestartWithCheckpoints()
    {
        var time = new ManualTimeProvider();
        await using (var manager = new LogManager(Options(time)))
        {
            manager.Startup();
            for (var p = 0; p < 4; p++)
            {
                var log = manager.GetOrCreateLog(new TopicPartition("orders", p));
                for (var i = 0; i <= p; i++)
                {
                    LogFixture.AppendSimple(log, 10);
                }
            }

            manager.GetLog(new TopicPartition("orders", 3))!.DeleteRecordsBefore(15);
            Assert.Equal(2, Directory.GetDirectories(_dir.Sub("d1")).Length); // spread over both dirs
            Assert.Equal(2, Directory.GetDirectories(_dir.Sub("d2")).Length);
        }

        foreach (var d in new[] { "d1", "d2" })
        {
            var recovery = OffsetCheckpointFile.Read(Path.Combine(_dir.Sub(d), OffsetCheckpointFile.RecoveryPointFileName));
            Assert.Equal(2, recovery.Count);
            Assert.All(recovery, e => Assert.Equal((e.Key.Partition + 1) * 10L, e.Value));
        }

        await using var restarted = new LogManager(Options(time));
        restarted.Startup();
        Assert.Equal(4, restarted.Logs.Count);
        for (var p = 0; p < 4; p++)
        {
            var log = restarted.GetLog(new TopicPartition("orders", p))!;
            Assert.Equal((p + 1) * 10L, log.LogEndOffset);
            Assert.Equal(log.LogEndOffset, log.RecoveryPoint);
        }

        Assert.Equal(15, restarted.GetLog(new TopicPartition("orders", 3))!.LogStartOffset);
    }

    [Fact]
    public async Task DeletingALogRenamesThenRemovesItsDirectory()
    {
        var time = new ManualTimeProvider();
        await using var manager = new LogManager(Options(time));
        manager.Startup();
        var tp = new TopicPartition("gone", 0);
        var log = manager.GetOrCreateLog(tp);
        LogFixture.AppendSimple(log, 3);
        var directory = log.Directory;

        await manager.DeleteLogAsync(tp);
        Assert.Null(manager.GetLog(tp));
        Assert.False(Directory.Exists(directory));
        Assert.Empty(Directory.GetDirectories(Path.GetDirectoryName(directory)!));
        Assert.Throws<StorageException>(() => LogFixture.AppendSimple(log, 1));

        // A crash after the rename leaves a -delete directory: startup removes it.
        var leftover = Path.Combine(_dir.Sub("d1"), "old-0.0123456789abcdef0123456789abcdef-delete");
        Directory.CreateDirectory(leftover);
        File.WriteAllText(Path.Combine(leftover, "00000000000000000000.log"), "x");
        await manager.DisposeAsync();
        await using var restarted = new LogManager(Options(time));
        restarted.Startup();
        Assert.Null(restarted.GetLog(new TopicPartition("old", 0)));
        await restarted.DisposeAsync();
        Assert.False(Directory.Exists(leftover));
    }

    [Fact]
    public async Task MaintenanceAppliesRetentionAndCompactionPerTopicConfig()
    {
        var time = new ManualTimeProvider();
        var configs = new Dictionary<string, LogConfig>
        {
            ["events"] = LogConfig.Default with { SegmentBytes = 400, RetentionMs = 60_000, FileDeleteDelayMs = 0 },
            ["state"] = LogConfig.Default with { SegmentBytes = 400, CleanupPolicy = CleanupPolicy.Compact, FileDeleteDelayMs = 0 },
        };
        await using var manager = new LogManager(Options(time, t => configs.GetValueOrDefault(t)));
        manager.Startup();
        var events = manager.GetOrCreateLog(new TopicPartition("events", 0));
        var state = manager.GetOrCreateLog(new TopicPartition("state", 0));
        for (var i = 0; i < 20; i++)
        {
            LogFixture.AppendSimple(events, 3, timestamp: time.NowMs);
            LogFixture.AppendSimple(state, 3, timestamp: time.NowMs, keys: 2);
        }

        var eventSegments = events.SegmentCount;
        var stateSize = state.Size;
        Assert.Equal(0, manager.CleanupLogs());
        Assert.True(manager.CompactLogs() > 0);
        Assert.True(state.Size < stateSize);
        Assert.Equal(eventSegments, events.SegmentCount);

        time.Advance(120_000);
        Assert.Equal(eventSegments - 1, manager.CleanupLogs());
        Assert.Equal(1, events.SegmentCount);
        Assert.False(state.NeedsCompaction());

        manager.UpdateTopicConfig("events", configs["events"] with { RetentionMs = -1 });
        Assert.Equal(-1, events.Config.RetentionMs);
    }

    [Fact]
    public async Task CompactionStopsAtTheCleanableUpperBound()
    {
        var time = new ManualTimeProvider();
        var bound = 0L;
        var compacted = LogConfig.Default with { SegmentBytes = 400, CleanupPolicy = CleanupPolicy.Compact, FileDeleteDelayMs = 0 };
        await using var manager = new LogManager(Options(time, _ => compacted) with { CleanableUpperBound = _ => bound });
        manager.Startup();
        var state = manager.GetOrCreateLog(new TopicPartition("state", 0));
        for (var i = 0; i < 20; i++)
        {
            LogFixture.AppendSimple(state, 3, timestamp: time.NowMs, keys: 2);
        }

        // Nothing committed (a follower's high watermark of 0): nothing may be cleaned.
        Assert.Equal(0, manager.CompactLogs());
        bound = state.LogEndOffset;
        Assert.True(manager.CompactLogs() > 0);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task TheBackgroundCleanerRunsOnlyWhenEnabled(bool enabled)
    {
        var time = new ManualTimeProvider();
        var compacted = LogConfig.Default with { SegmentBytes = 400, CleanupPolicy = CleanupPolicy.Compact, FileDeleteDelayMs = 0 };
        await using var manager = new LogManager(Options(time, _ => compacted) with { CleanerEnabled = enabled, CleanerInterval = TimeSpan.FromMilliseconds(10) });
        manager.Startup();
        var state = manager.GetOrCreateLog(new TopicPartition("state", 0));
        for (var i = 0; i < 20; i++)
        {
            LogFixture.AppendSimple(state, 3, timestamp: time.NowMs, keys: 2);
        }

        var size = state.Size;
        manager.StartBackgroundTasks();
        var deadline = DateTime.UtcNow.AddSeconds(enabled ? 20 : 1);
        while (state.Size == size && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        // Disabled, a second of 10 ms cleaner intervals passes without any cleaning.
        Assert.Equal(enabled, state.Size < size);
    }

    [Fact]
    public async Task BackgroundTasksFlushAndCheckpoint()
    {
        var options = new LogManagerOptions
        {
            LogDirs = [_dir.Sub("d1")],
            FlushCheckInterval = TimeSpan.FromMilliseconds(10),
            CheckpointInterval = TimeSpan.FromMilliseconds(10),
        };
        await using var manager = new LogManager(options);
        manager.Startup();
        var log = manager.GetOrCreateLog(new TopicPartition("flushy", 0), LogConfig.Default with { FlushMs = 0 });
        LogFixture.AppendSimple(log, 5);
        Assert.Equal(0, log.RecoveryPoint);
        manager.StartBackgroundTasks();

        var checkpoint = Path.Combine(_dir.Sub("d1"), OffsetCheckpointFile.RecoveryPointFileName);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (OffsetCheckpointFile.Read(checkpoint).GetValueOrDefault(log.TopicPartition) != 5)
        {
            Assert.True(DateTime.UtcNow < deadline, "background flush and checkpoint did not run");
            await Task.Delay(10);
        }

        Assert.Equal(5, log.RecoveryPoint);
        Assert.Equal(0, manager.BackgroundErrors);
    }
}
