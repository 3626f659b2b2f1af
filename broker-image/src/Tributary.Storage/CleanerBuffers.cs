using System.Buffers;
using Tributary.Protocol.Compression;

namespace Tributary.Storage;

/// <summary>
/// Working memory for cleaning one group of segments, reused batch after batch so the cleaner
/// allocates nothing per batch or record: decompressed records, the retained records of a
/// compressed batch before recompression, and the rewritten batch. The pooled buffers grow to
/// the largest batch they hold and return their arrays on dispose.
/// </summary>
internal sealed class CleanerBuffers : IDisposable
{
    private const int InitialCapacity = 64 * 1024;

    /// <summary>Decompressed records of the current batch (the type <see cref="BatchPayload"/> fills).</summary>
    public ArrayBufferWriter<byte> Decompressed { get; } = new(InitialCapacity);

    /// <summary>Retained records of a compressed batch, uncompressed, before they are recompressed.</summary>
    public PooledBufferWriter Retained { get; } = new(InitialCapacity);

    /// <summary>The rewritten batch: header, then the (possibly compressed) retained records.</summary>
    public PooledBufferWriter Output { get; } = new(InitialCapacity);

    public void Dispose()
    {
        Retained.Dispose();
        Output.Dispose();
    }
}
