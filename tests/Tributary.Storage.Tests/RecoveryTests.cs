namespace Tributary.Storage.Tests;

public sealed class RecoveryTests : IDisposable
{
    private static readonly LogConfig Config = LogConfig.Default with { SegmentBytes = 1000, IndexIntervalBytes = 100 };

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Dir => _dir.Sub("orders-0");

    [Fact]
    public void GarbageAppendedToTheLogIsTruncated()
    {
        var (end, _) = Fill(batches: 20);
        var active = ActiveLogFile();
        var length = new FileInfo(active).Length;
        File.AppendAllText(active, "this is not a record batch at all, just junk bytes");

        using var log = LogFixture.Open(Dir, Config, recoveryPoint: 0);
        Assert.Equal(end, log.LogEndOffset);
        Assert.Equal(length, new FileInfo(active).Length);
        Assert.True(log.TruncatedOnRecovery > 0);
        Assert.Equal(end, LogFixture.ReadAll(log).Count);
        Assert.Equal(end, LogFixture.AppendSimple(log, 1).FirstOffset);
    }

    [Fact]
    public void AHalfWrittenBatchIsTruncated()
    {
        var (end, _) = Fill(batches: 20);
        var active = ActiveLogFile();
        var length = new FileInfo(active).Length;
        var batch = TestBatches.Simple(5);
        using (var stream = new FileStream(active, FileMode.Append))
        {
            stream.Write(batch.AsSpan(0, batch.Length / 2));
        }

        // Even a recovery point at the end of the good data finds the torn tail (it lies beyond it).
        using var log = LogFixture.Open(Dir, Config, recoveryPoint: end);
        Assert.Equal(end, log.LogEndOffset);
        Assert.Equal(length, new FileInfo(active).Length);
        Assert.Equal(end, LogFixture.ReadAll(log).Count);
    }

    [Fact]
    public void AFlippedByteTruncatesFromTheCorruptBatchOnwards()
    {
        var (end, sizes) = Fill(batches: 30);
        var files = Directory.GetFiles(Dir, "*.log").Order().ToArray();
        Assert.True(files.Length >= 3);

        // Corrupt the value bytes of the second batch of the second segment.
        var target = files[1];
        var targetBase = long.Parse(Path.GetFileNameWithoutExtension(target), System.Globalization.CultureInfo.InvariantCulture);
        var bytes = File.ReadAllBytes(target);
        var firstSize = sizes[0];
        bytes[firstSize + 70] ^= 0x5A;
        File.WriteAllBytes(target, bytes);

        using var log = LogFixture.Open(Dir, Config, recoveryPoint: targetBase);
        var batchRecords = 5;
        Assert.Equal(targetBase + batchRecords, log.LogEndOffset);
        Assert.Equal(firstSize, new FileInfo(target).Length);
        Assert.Equal(2, Directory.GetFiles(Dir, "*.log").Length); // later segments are gone
        Assert.Equal(targetBase + batchRecords, LogFixture.ReadAll(log).Count);
        Assert.True(end > log.LogEndOffset);
    }

    [Fact]
    public void SegmentsBelowTheRecoveryPointAreTrusted()
    {
        var (end, sizes) = Fill(batches: 30);
        var first = Directory.GetFiles(Dir, "*.log").Order().First();
        var bytes = File.ReadAllBytes(first);
        bytes[sizes[0] + 70] ^= 0x5A; // a flipped value byte in a flushed segment is not re-checked
        File.WriteAllBytes(first, bytes);

        using var log = LogFixture.Open(Dir, Config, recoveryPoint: end);
        Assert.Equal(end, log.LogEndOffset);
        Assert.Equal(0, log.TruncatedOnRecovery);
    }

    [Fact]
    public void MissingOrCorruptIndexesAreRebuilt()
    {
        var (end, _) = Fill(batches: 30);
        var indexes = Directory.GetFiles(Dir, "*.index").Order().ToArray();
        File.Delete(indexes[0]);
        File.WriteAllBytes(indexes[1], [1, 2, 3]); // a torn entry
        File.Delete(Directory.GetFiles(Dir, "*.timeindex").Order().Last());

        using var log = LogFixture.Open(Dir, Config, recoveryPoint: end);
        Assert.Equal(end, log.LogEndOffset);
        Assert.True(new FileInfo(indexes[0]).Length > 0);
        Assert.Equal(0, new FileInfo(indexes[1]).Length % 8);
        Assert.Equal(Enumerable.Range(0, (int)end).Select(i => (long)i), LogFixture.ReadAll(log).Select(r => r.Offset));
        for (var offset = 0L; offset < end; offset += 7)
        {
            using var read = log.Read(offset, 1);
            Assert.Equal(offset / 5 * 5, read.FirstBatchOffset);
        }

        Assert.Equal(new TimestampAndOffset(1_000, 0), log.FetchOffsetByTimestamp(1_000));
    }

    [Fact]
    public void LeftoverTemporaryFilesAreRemoved()
    {
        Fill(batches: 5);
        var junk = new[] { "00000000000000000000.log.cleaned", "00000000000000000000.index.cleaned", "00000000000000000003.log.deleted", "00000000000000000000.timeindex.swap" };
        foreach (var name in junk)
        {
            File.WriteAllBytes(Path.Combine(Dir, name), [1, 2, 3]);
        }

        using var log = LogFixture.Open(Dir, Config);
        foreach (var name in junk)
        {
            Assert.False(File.Exists(Path.Combine(Dir, name)), name);
        }

        Assert.Equal(25, log.LogEndOffset);
    }

    [Fact]
    public void AnEmptyDirectoryGivesAnEmptyLogAtTheLogStartOffset()
    {
        using var log = LogFixture.Open(Dir, Config, logStart: 42);
        Assert.Equal(42, log.LogStartOffset);
        Assert.Equal(42, log.LogEndOffset);
        Assert.Equal(42, LogFixture.AppendSimple(log, 2).FirstOffset);
        Assert.True(File.Exists(Path.Combine(Dir, "00000000000000000042.log")));
    }

    /// <summary>Appends batches of 5 records and closes the log; returns the end offset and batch sizes.</summary>
    private (long End, List<int> Sizes) Fill(int batches)
    {
        var sizes = new List<int>();
        using var log = LogFixture.Open(Dir, Config);
        for (var i = 0; i < batches; i++)
        {
            sizes.Add(LogFixture.AppendSimple(log, 5, timestamp: 1_000 + (i * 10)).Bytes);
        }

        log.Close();
        return (log.LogEndOffset, sizes);
    }

    private string ActiveLogFile() => Directory.GetFiles(Dir, "*.log").Order().Last();
}
