using Tributary.Protocol.Records;

namespace Tributary.MicroBench;

/// <summary>The batch a producer sends with batch.size 1 MB: 1 KiB values, uncompressed.</summary>
internal static class ProduceBatch
{
    public const int RecordBytes = 1024;

    public const int Records = 1000;

    public static byte[] Build()
    {
        var value = new byte[RecordBytes];
        new Random(42).NextBytes(value);
        using var builder = new RecordBatchBuilder();
        for (var i = 0; i < Records; i++)
        {
            builder.AppendValue(1_700_000_000_000 + i, value);
        }

        return builder.ToArray();
    }
}
