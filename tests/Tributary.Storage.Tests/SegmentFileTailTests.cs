using System.Diagnostics;
using System.Globalization;

namespace Tributary.Storage.Tests;

/// <summary>
/// The active segment's file tail on a real file system: space reserved ahead and given back,
/// bytes far behind the end dropped from the page cache (checked with util-linux's fincore),
/// and the data intact through both.
/// </summary>
public sealed class SegmentFileTailTests : IDisposable
{
    private const int Mib = 1024 * 1024;

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void BytesFarBehindTheEndLeaveThePageCacheAndReadBackIntact()
    {
        var config = LogConfig.Default with { PageCacheRetainBytes = 8 * Mib };
        using var log = LogFixture.Open(_dir.Sub("windowed-0"), config);
        var values = AppendMegabyteBatches(log, 42);
        var segment = Directory.GetFiles(log.Directory, "*.log").Single();

        // 8 MiB retained plus at most two 4 MiB steps not yet written back / dropped.
        var resident = ResidentBytes(segment);
        Assert.True(resident <= 17 * Mib, $"{resident} bytes of a {new FileInfo(segment).Length}-byte segment still cached");
        Assert.True(resident >= 4 * Mib, $"the newest bytes should stay cached, only {resident} are");

        var records = LogFixture.ReadAll(log);
        Assert.Equal(values, records.Select(r => r.ValueText));
    }

    [Fact]
    public void NegativeRetainLeavesTheCacheToTheKernel()
    {
        var config = LogConfig.Default with { PageCacheRetainBytes = -1 };
        using var log = LogFixture.Open(_dir.Sub("unbounded-0"), config);
        AppendMegabyteBatches(log, 42);
        var segment = Directory.GetFiles(log.Directory, "*.log").Single();
        Assert.True(ResidentBytes(segment) >= 36 * Mib, "without a window every written page stays cached");
    }

    [Fact]
    public void ActiveSegmentReservesSpaceAheadAndGivesItBackWhenSealedOrClosed()
    {
        var config = LogConfig.Default with { SegmentBytes = 3 * Mib + (256 * 1024) };
        var dir = _dir.Sub("reserved-0");
        var log = LogFixture.Open(dir, config);
        AppendMegabyteBatches(log, 1);
        var first = Directory.GetFiles(dir, "*.log").Single();
        var held = new FileInfo(first).Length;
        Assert.True(AllocatedBytes(first) >= 2 * held - 4096, $"only {AllocatedBytes(first)} bytes reserved for a {held}-byte segment: expected as much again");

        // The fourth batch does not fit: the first segment is sealed and keeps only what it holds.
        AppendMegabyteBatches(log, 3);
        Assert.Equal(2, log.SegmentCount);
        Assert.True(AllocatedBytes(first) <= RoundUpToBlock(new FileInfo(first).Length), "a sealed segment keeps no reserved space");

        var second = Directory.GetFiles(dir, "*.log").Order(StringComparer.Ordinal).Last();
        Assert.True(AllocatedBytes(second) > RoundUpToBlock(new FileInfo(second).Length));
        log.Close();
        Assert.True(AllocatedBytes(second) <= RoundUpToBlock(new FileInfo(second).Length), "a closed log keeps no reserved space");

        using var reopened = LogFixture.Open(dir, config, recoveryPoint: 4 * 15);
        Assert.Equal(4 * 15, LogFixture.ReadAll(reopened).Count);
    }

    [Fact]
    public void AQuietPartitionReservesLittle()
    {
        using var log = LogFixture.Open(_dir.Sub("quiet-0"));
        LogFixture.AppendSimple(log, 3);
        var segment = Directory.GetFiles(log.Directory, "*.log").Single();
        Assert.True(AllocatedBytes(segment) <= 128 * 1024, $"{AllocatedBytes(segment)} bytes reserved for {new FileInfo(segment).Length} bytes of records");
    }

    /// <summary>Appends batches of 15 records of 64 KiB (just under max.message.bytes); returns the values in order.</summary>
    private static List<string> AppendMegabyteBatches(PartitionLog log, int batches)
    {
        var values = new List<string>();
        for (var b = 0; b < batches; b++)
        {
            var records = Enumerable.Range(0, 15)
                .Select(i => TestRecord.Of($"k{i}", $"{log.LogEndOffset + i:D8}-".PadRight(64 * 1024, (char)('a' + (b % 26))), 1_000 + i))
                .ToList();
            log.Append(TestBatches.Build(records));
            values.AddRange(records.Select(r => r.ValueText!));
        }

        return values;
    }

    private static long RoundUpToBlock(long bytes) => (bytes + 4095) / 4096 * 4096;

    private static long ResidentBytes(string path) => long.Parse(Run("fincore", "--bytes", "--noheadings", "--output", "RES", path), CultureInfo.InvariantCulture);

    /// <summary>Disk space the file holds, from stat's 512-byte block count.</summary>
    private static long AllocatedBytes(string path) => 512 * long.Parse(Run("stat", "-c", "%b", path), CultureInfo.InvariantCulture);

    private static string Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{program} failed: {process.StandardError.ReadToEnd()}");
        return output.Trim();
    }
}
