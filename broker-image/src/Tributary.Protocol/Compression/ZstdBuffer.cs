using System.Runtime.InteropServices;

namespace Tributary.Protocol.Compression;

/// <summary>
/// zstd's <c>ZSTD_inBuffer</c> / <c>ZSTD_outBuffer</c>: both are (pointer, size, position).
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct ZstdBuffer
{
    public void* Pointer;
    public nuint Size;
    public nuint Position;
}
