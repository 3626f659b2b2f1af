using System.Buffers;
using Tributary.Protocol.Records;

namespace Tributary.Protocol.Compression;

/// <summary>
/// One record batch compression codec. The broker never calls these on the produce/fetch path
/// (compressed batches pass through as bytes); clients, compaction and tools do.
/// </summary>
public interface ICompressionCodec
{
    CompressionType Type { get; }

    /// <summary>Compresses <paramref name="source"/> and appends the result to <paramref name="destination"/>.</summary>
    void Compress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination);

    /// <summary>
    /// Decompresses <paramref name="source"/> into <paramref name="destination"/>, writing at most
    /// <paramref name="maxOutputBytes"/> bytes: a larger output (a decompression bomb) or corrupt
    /// input raises <see cref="Primitives.ProtocolException"/> with <see cref="Primitives.ProtocolError.CorruptRecord"/>.
    /// Returns the number of bytes written.
    /// </summary>
    int Decompress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination, int maxOutputBytes);
}
