using BenchmarkDotNet.Attributes;
using Tributary.Protocol.Checksums;

namespace Tributary.MicroBench;

/// <summary>CRC32C over a 1 MB batch, the one pass over every produced byte the broker must make.</summary>
[MemoryDiagnoser]
public class ChecksumBenchmarks
{
    private readonly byte[] _data = ProduceBatch.Build();

    [Benchmark]
    public uint Crc32COneMegabyte() => Crc32C.Compute(_data);
}
