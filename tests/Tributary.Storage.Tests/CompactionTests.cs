using Tributary.Protocol.Records;

namespace Tributary.Storage.Tests;

public sealed class CompactionTests : IDisposable
{
    private static readonly LogConfig Compacted = LogConfig.Default with
    {
        CleanupPolicy = CleanupPolicy.Compact,
        SegmentBytes = 400,
        DeleteRetentionMs = 10_000,
        FileDeleteDelayMs = 0,
    };

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void KeepsOnlyTheLatestRecordPerKeyAndPreservesOffsets()
    {
        var time = new ManualTimeProvider();
        using var log = LogFixture.Open(_dir.Sub("orders-0"), Compacted, time);
        var latest = AppendRounds(log, rounds: 8, keys: 4);
        LogFixture.AppendRecords(log, TestRecord.Of("tail", "active", 1)); // keeps later data in the active segment
        var before = LogFixture.ReadAll(log);
        var segmentsBefore = log.SegmentCount;

        var reclaimed = log.Compact();
        Assert.True(reclaimed > 0);

        var after = LogFixture.ReadAll(log);
        var activeBase = log.SegmentBaseOffsets[^1];
        var cleanedPart = after.Where(r => r.Offset < activeBase).ToList();
        Assert.Equal(cleanedPart.Select(r => r.KeyText).Distinct().Count(), cleanedPart.Count); // one per key
        foreach (var record in after)
        {
            // Offsets and contents are the originals.
            Assert.Equal(before.Single(b => b.Offset == record.Offset).ValueText, record.ValueText);
        }

        foreach (var (key, value) in latest)
        {
            Assert.Equal(value, after.Last(r => r.KeyText == key).ValueText);
        }

        Assert.True(log.SegmentCount <= segmentsBefore);
        Assert.Equal(before[^1].Offset + 1, log.LogEndOffset);
        Assert.Empty(Directory.GetFiles(log.Directory, "*.cleaned"));
        Assert.Empty(Directory.GetFiles(log.Directory, "*.swap"));

        // Compacted data survives a reopen with full recovery (CRCs of rewritten batches are valid).
        var records = LogFixture.ReadAll(log);
        log.Dispose();
        using var reopened = LogFixture.Open(log.Directory, Compacted, time);
        Assert.Equal(0, reopened.TruncatedOnRecovery);
        Assert.Equal(records.Select(r => (r.Offset, r.ValueText)), LogFixture.ReadAll(reopened).Select(r => (r.Offset, r.ValueText)));
    }

    [Fact]
    public void TombstonesAreKeptUntilDeleteRetentionThenRemoved()
    {
        var time = new ManualTimeProvider();
        using var log = LogFixture.Open(_dir.Sub("orders-0"), Compacted, time);
        LogFixture.AppendRecords(log, TestRecord.Of("a", "a1", 1), TestRecord.Of("b", "b1", 2));
        LogFixture.AppendRecords(log, TestRecord.Of("a", null, 3)); // tombstone for a
        FillToRoll(log);

        log.Compact();
        var first = LogFixture.ReadAll(log);
        Assert.DoesNotContain(first, r => r.ValueText == "a1");
        var tombstone = Assert.Single(first, r => r.KeyText == "a");
        Assert.Null(tombstone.Value);
        Assert.Equal(2, tombstone.Offset);
        Assert.Equal(3, tombstone.Timestamp); // the record timestamp survives the delete-horizon rewrite

        time.Advance(9_999);
        log.Compact();
        Assert.Contains(LogFixture.ReadAll(log), r => r.KeyText == "a" && r.Value is null);

        time.Advance(1);
        Assert.True(log.NeedsCompaction());
        log.Compact();
        var last = LogFixture.ReadAll(log);
        Assert.DoesNotContain(last, r => r.KeyText == "a");
        Assert.Contains(last, r => r.KeyText == "b" && r.ValueText == "b1");
    }

    [Fact]
    public void ControlBatchesAreRetained()
    {
        var time = new ManualTimeProvider();
        using var log = LogFixture.Open(_dir.Sub("orders-0"), Compacted, time);
        log.Append(TestBatches.Build([TestRecord.Of("k", "1", 1)], producerId: 9, producerEpoch: 0, baseSequence: 0, attributes: TestBatches.TransactionalFlag));
        log.Append(TestBatches.Marker(9, 0, commit: true, coordinatorEpoch: 3, timestamp: 2));
        log.Append(TestBatches.Build([TestRecord.Of("k", "2", 3)]));
        FillToRoll(log);

        log.Compact();
        using var read = log.Read(0, 1 << 20);
        var batches = TestBatches.Split(read.Records.Span);
        Assert.Contains(batches, b => TestBatches.BaseOffset(b) == 1); // the marker
        Assert.DoesNotContain(LogFixture.ReadAll(log), r => r.ValueText == "1");
    }

    [Fact]
    public void TheLastBatchOfAnActiveProducerStaysAsAnEmptyBatch()
    {
        var time = new ManualTimeProvider();
        using var log = LogFixture.Open(_dir.Sub("orders-0"), Compacted, time);
        log.Append(TestBatches.Build([TestRecord.Of("a", "a1", 1), TestRecord.Of("b", "b1", 1)], producerId: 7, producerEpoch: 2, baseSequence: 0)); // 0-1
        log.Append(TestBatches.BuildGzip([TestRecord.Of("c", "c1", 1)], producerId: 7, producerEpoch: 2, baseSequence: 2)); // 2, producer 7's last batch
        LogFixture.AppendRecords(log, TestRecord.Of("a", "a2", 2), TestRecord.Of("b", "b2", 2), TestRecord.Of("c", "c2", 2)); // 3-5
        FillToRoll(log);

        log.Compact();
        using var read = log.Read(0, 1 << 20);
        var batches = DecodedBatch.All(read.Records.Span);
        Assert.DoesNotContain(batches, b => b.BaseOffset == 0); // all its records superseded, not the producer's last
        var kept = Assert.Single(batches, b => b.ProducerId == 7);
        Assert.Equal((2L, 2L, (short)2, 2), (kept.BaseOffset, kept.LastOffset, kept.ProducerEpoch, kept.BaseSequence));
        Assert.Empty(kept.Records);
        Assert.Equal(CompressionType.None, kept.Compression);
        Assert.Equal(["a2", "b2", "c2"], LogFixture.ReadAll(log).Where(r => r.Offset < 6).Select(r => r.ValueText));

        // A new replica copying the cleaned log still learns producer 7's epoch and last sequence.
        using var copy = LogFixture.Open(_dir.Sub("copy-0"), Compacted, time);
        using var all = log.Read(0, 1 << 20);
        copy.AppendAsFollower(all.Records.Span);
        var producer = copy.ProducerState.Producers[7];
        Assert.Equal((short)2, producer.ProducerEpoch);
        Assert.Equal(2, producer.Batches[^1].LastSequence);
        Assert.Equal(2, producer.Batches[^1].LastOffset);
    }

    [Fact]
    public void MinCompactionLagProtectsRecentSegments()
    {
        var time = new ManualTimeProvider();
        var config = Compacted with { MinCompactionLagMs = 60_000 };
        using var log = LogFixture.Open(_dir.Sub("orders-0"), config, time);
        AppendRounds(log, rounds: 6, keys: 2, timestamp: time.NowMs);
        Assert.Equal(0, log.Compact());
        time.Advance(60_010); // record timestamps run up to start + 5

        Assert.True(log.Compact() > 0);
    }

    [Theory]
    [InlineData("before-swap", false)]
    [InlineData("swap-committed", true)]
    [InlineData("old-deleted", true)]
    public void ACrashDuringTheSwapRecoversToEitherTheOldOrTheCleanedLog(string step, bool cleanedWins)
    {
        var time = new ManualTimeProvider();
        var dir = _dir.Sub("orders-0");
        var log = LogFixture.Open(dir, Compacted with { SegmentBytes = 100_000 }, time);
        AppendRounds(log, rounds: 10, keys: 3);
        log.Config = Compacted with { SegmentBytes = 100_000 };
        ForceRoll(log);
        LogFixture.AppendRecords(log, TestRecord.Of("tail", "t", 1));
        log.Flush();
        var before = LogFixture.ReadAll(log);
        var end = log.LogEndOffset;

        log.SwapStepHook = s =>
        {
            if (s == step)
            {
                throw new IOException("simulated crash at " + step);
            }
        };
        Assert.Throws<IOException>(() => log.Compact());
        log.Dispose(); // the process dies: no more renames

        using var reopened = LogFixture.Open(dir, Compacted, time, recoveryPoint: end);
        Assert.Empty(Directory.GetFiles(dir, "*.cleaned"));
        Assert.Empty(Directory.GetFiles(dir, "*.swap"));
        Assert.Empty(Directory.GetFiles(dir, "*.deleted"));
        Assert.Equal(end, reopened.LogEndOffset);
        var after = LogFixture.ReadAll(reopened);
        if (cleanedWins)
        {
            Assert.True(after.Count < before.Count);
            // One record per key in the cleaned segment, plus the active segment's "k0" and "tail".
            Assert.Equal(["k0", "k0", "k1", "k2", "tail"], after.Select(r => r.KeyText).Order());
        }
        else
        {
            Assert.Equal(before.Select(r => (r.Offset, r.ValueText)), after.Select(r => (r.Offset, r.ValueText)));
        }

        // Either way the latest value per key is what a reader sees last.
        Assert.Equal(before.GroupBy(r => r.KeyText).Select(g => g.Last().ValueText).Order(), after.GroupBy(r => r.KeyText).Select(g => g.Last().ValueText).Order());
    }

    [Fact]
    public void CompactionDoesNotCleanPastTheUpperBound()
    {
        var time = new ManualTimeProvider();
        using var log = LogFixture.Open(_dir.Sub("orders-0"), Compacted, time);
        AppendRounds(log, rounds: 6, keys: 2);
        LogFixture.AppendRecords(log, TestRecord.Of("tail", "t", 1));
        var firstSegmentEnd = log.SegmentBaseOffsets[1];
        Assert.Equal(0, log.Compact(upperBoundOffset: firstSegmentEnd - 1));
    }

    private static Dictionary<string, string> AppendRounds(PartitionLog log, int rounds, int keys, long timestamp = 1_000)
    {
        var latest = new Dictionary<string, string>();
        for (var round = 0; round < rounds; round++)
        {
            var records = Enumerable.Range(0, keys).Select(k => TestRecord.Of($"k{k}", $"r{round}-k{k}", timestamp + round)).ToArray();
            LogFixture.AppendRecords(log, records);
            foreach (var r in records)
            {
                latest[r.KeyText!] = r.ValueText!;
            }
        }

        return latest;
    }

    /// <summary>Appends filler under distinct keys until the segment holding the test data is closed.</summary>
    private static void FillToRoll(PartitionLog log)
    {
        var segments = log.SegmentCount;
        var i = 0;
        while (log.SegmentCount == segments)
        {
            LogFixture.AppendRecords(log, TestRecord.Of($"filler{i++}", "x", 1));
        }
    }

    /// <summary>Rolls by appending once with a segment size below the active segment's size.</summary>
    private static void ForceRoll(PartitionLog log)
    {
        var config = log.Config;
        log.Config = config with { SegmentBytes = 200 };
        LogFixture.AppendRecords(log, TestRecord.Of("k0", "rolled", 1));
        log.Config = config;
    }
}
