using BenchmarkDotNet.Attributes;
using Tributary.Protocol.Records;

namespace Tributary.MicroBench;

/// <summary>The produce-path validation of a 1 MB uncompressed batch (CRC, header, every record's structure).</summary>
[MemoryDiagnoser]
public class ValidateProduceBenchmarks
{
    private const short ProduceVersion = 9;

    private readonly byte[] _batch = ProduceBatch.Build();

    [Benchmark]
    public bool ValidateProduceOneMegabyte() => RecordBatchValidator.ValidateProduce(_batch, ProduceVersion).IsValid;
}
