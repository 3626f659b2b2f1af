using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;

namespace Tributary.Protocol.Checksums;

/// <summary>
/// CRC-32C (Castagnoli), the checksum of v2 record batches. Uses the CPU's CRC32 instructions
/// through <see cref="BitOperations.Crc32C(uint, ulong)"/> (SSE4.2 on x64, ARMv8 CRC on arm64;
/// the runtime falls back to a table when neither exists).
/// </summary>
/// <remarks>
/// The standard variant: the register starts at 0xFFFFFFFF and the result is inverted, so
/// <c>Compute("123456789") == 0xE3069283</c>. <see cref="Append"/> continues a checksum across
/// several spans, which lets the broker checksum a batch in pieces without copying it.
/// </remarks>
public static class Crc32C
{
    /// <summary>Checksum of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Append(0, data);

    /// <summary>
    /// Extends a finished checksum <paramref name="crc"/> (of earlier bytes) with more bytes:
    /// <c>Append(Compute(a), b) == Compute(a + b)</c>, and <c>Append(0, x) == Compute(x)</c>.
    /// </summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data) => ~Update(~crc, data);

    /// <summary>Raw register update without the initial and final inversion.</summary>
    private static uint Update(uint state, ReadOnlySpan<byte> data)
    {
        // The instructions consume little-endian words, which is the byte order of the
        // reflected CRC, so reading words little-endian gives the same result as byte by byte.
        var words = data.Length / 8;
        var longs = MemoryMarshal.Cast<byte, ulong>(data[..(words * 8)]);
        foreach (var word in longs)
        {
            state = BitOperations.Crc32C(state, BitConverter.IsLittleEndian ? word : BinaryPrimitives.ReverseEndianness(word));
        }

        var rest = data[(words * 8)..];
        if (rest.Length >= 4)
        {
            state = BitOperations.Crc32C(state, BinaryPrimitives.ReadUInt32LittleEndian(rest));
            rest = rest[4..];
        }

        if (rest.Length >= 2)
        {
            state = BitOperations.Crc32C(state, BinaryPrimitives.ReadUInt16LittleEndian(rest));
            rest = rest[2..];
        }

        if (rest.Length == 1)
        {
            state = BitOperations.Crc32C(state, rest[0]);
        }

        return state;
    }
}
