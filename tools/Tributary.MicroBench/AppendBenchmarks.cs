using BenchmarkDotNet.Attributes;
using Tributary.Storage;

namespace Tributary.MicroBench;

/// <summary>
/// PartitionLog.Append of a 1 MB batch as the leader (offset assignment, segment write to the page
/// cache, index entries). Each iteration appends to a fresh log in a temporary directory, deleted
/// afterwards, so the disk does not fill up.
/// </summary>
[MemoryDiagnoser]
[InvocationCount(AppendsPerIteration)]
public class AppendBenchmarks
{
    private const int AppendsPerIteration = 128;

    private readonly byte[] _batch = ProduceBatch.Build();
    private string? _directory;
    private PartitionLog? _log;

    [IterationSetup]
    public void OpenLog()
    {
        _directory = Directory.CreateTempSubdirectory("tributary-microbench-").FullName;
        _log = PartitionLog.Open(Path.Combine(_directory, "bench-0"), new TopicPartition("bench", 0), LogConfig.Default);
    }

    [IterationCleanup]
    public void DeleteLog()
    {
        _log?.Close();
        if (_directory is not null)
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Benchmark]
    public long AppendOneMegabyte() => _log!.Append(_batch, leaderEpoch: 0).LastOffset;
}
