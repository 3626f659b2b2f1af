using System.Runtime.InteropServices;

namespace Tributary.Protocol.Compression;

/// <summary>liblz4's <c>LZ4F_preferences_t</c> (frame info followed by level and flags), 56 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct Lz4FramePreferences
{
    /// <summary>LZ4F_max64KB: Kafka's Java client writes 64 KiB blocks.</summary>
    public const int BlockSize64K = 4;

    /// <summary>LZ4F_blockIndependent: the Java decoder decodes every block on its own.</summary>
    public const int BlockIndependent = 1;

    public int BlockSizeId;
    public int BlockMode;
    public int ContentChecksum;
    public int FrameType;
    public ulong ContentSize;
    public uint DictionaryId;
    public int BlockChecksum;
    public int CompressionLevel;
    public uint AutoFlush;
    public uint FavorDecompressionSpeed;
    public uint Reserved0;
    public uint Reserved1;
    public uint Reserved2;
}
