using Tributary.Protocol.Primitives;
using Tributary.Protocol.Records;

namespace Tributary.Protocol.Compression;

/// <summary>The codec for each compression type a record batch can declare.</summary>
public static class CompressionCodecs
{
    public static ICompressionCodec Gzip { get; } = new GzipCodec();

    public static ICompressionCodec Snappy { get; } = new SnappyCodec();

    public static ICompressionCodec Lz4 { get; } = new Lz4Codec();

    public static ICompressionCodec Zstd { get; } = new ZstdCodec();

    /// <summary>
    /// The codec for <paramref name="type"/>. <see cref="CompressionType.None"/> and unknown ids
    /// (5-7) raise <see cref="ProtocolException"/> with <see cref="ProtocolError.UnsupportedCompression"/>.
    /// </summary>
    public static ICompressionCodec Get(CompressionType type) => type switch
    {
        CompressionType.Gzip => Gzip,
        CompressionType.Snappy => Snappy,
        CompressionType.Lz4 => Lz4,
        CompressionType.Zstd => Zstd,
        _ => throw new ProtocolException(ProtocolError.UnsupportedCompression, $"no codec for compression type {(int)type}"),
    };

    /// <summary>True for the ids Kafka defines (0-4).</summary>
    public static bool IsKnown(CompressionType type) => type <= CompressionType.Zstd;

    internal static ProtocolException TooLarge(int maxOutputBytes) =>
        new(ProtocolError.CorruptRecord, $"decompressed records exceed the limit of {maxOutputBytes} bytes");

    internal static ProtocolException Corrupt(CompressionType type, string detail) =>
        new(ProtocolError.CorruptRecord, $"corrupt {type} data: {detail}");
}
