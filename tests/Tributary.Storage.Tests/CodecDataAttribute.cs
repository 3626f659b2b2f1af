using System.Buffers;
using System.Reflection;
using Tributary.Protocol.Compression;
using Tributary.Protocol.Records;
using Xunit.Sdk;

namespace Tributary.Storage.Tests;

/// <summary>
/// One theory row per compression codec. The row is skipped, saying why, when the codec's native
/// library (liblz4, libzstd) cannot be loaded on this machine; otherwise it runs.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class CodecDataAttribute : DataAttribute
{
    private readonly CompressionType _codec;

    public CodecDataAttribute(CompressionType codec)
    {
        _codec = codec;
        Skip = Unavailable(codec);
    }

    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [[_codec]];

    private static string? Unavailable(CompressionType codec)
    {
        if (codec == CompressionType.None)
        {
            return null;
        }

        try
        {
            CompressionCodecs.Get(codec).Compress("probe"u8, new ArrayBufferWriter<byte>());
            return null;
        }
        catch (CompressionUnavailableException e)
        {
            return $"{codec} codec unavailable on this machine: {e.Message}";
        }
    }
}
