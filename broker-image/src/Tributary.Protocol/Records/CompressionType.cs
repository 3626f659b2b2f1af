namespace Tributary.Protocol.Records;

/// <summary>Record batch compression codec ids (attributes bits 0-2).</summary>
public enum CompressionType : byte
{
    None = 0,
    Gzip = 1,
    Snappy = 2,
    Lz4 = 3,
    Zstd = 4,
}
