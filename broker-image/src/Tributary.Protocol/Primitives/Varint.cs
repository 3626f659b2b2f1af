using System.Runtime.CompilerServices;

namespace Tributary.Protocol.Primitives;

/// <summary>
/// Unsigned LEB128 and zig-zag varints as Kafka uses them (record fields, compact lengths,
/// tagged fields). Decoding never reads past the given span and rejects over-long encodings.
/// </summary>
public static class Varint
{
    public const int MaxLength32 = 5;
    public const int MaxLength64 = 10;

    public static VarintResult TryReadUnsigned(ReadOnlySpan<byte> source, out uint value, out int length)
    {
        uint result = 0;
        for (var i = 0; i < MaxLength32; i++)
        {
            if (i >= source.Length)
            {
                value = 0;
                length = 0;
                return VarintResult.Truncated;
            }

            uint b = source[i];
            // The fifth byte may only carry the top 4 bits of a 32-bit value.
            if (i == MaxLength32 - 1 && b > 0x0F)
            {
                value = 0;
                length = 0;
                return VarintResult.Overlong;
            }

            result |= (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0)
            {
                value = result;
                length = i + 1;
                return VarintResult.Ok;
            }
        }

        value = 0;
        length = 0;
        return VarintResult.Overlong;
    }

    public static VarintResult TryReadUnsignedLong(ReadOnlySpan<byte> source, out ulong value, out int length)
    {
        ulong result = 0;
        for (var i = 0; i < MaxLength64; i++)
        {
            if (i >= source.Length)
            {
                value = 0;
                length = 0;
                return VarintResult.Truncated;
            }

            ulong b = source[i];
            // The tenth byte may only carry the top bit of a 64-bit value.
            if (i == MaxLength64 - 1 && b > 0x01)
            {
                value = 0;
                length = 0;
                return VarintResult.Overlong;
            }

            result |= (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0)
            {
                value = result;
                length = i + 1;
                return VarintResult.Ok;
            }
        }

        value = 0;
        length = 0;
        return VarintResult.Overlong;
    }

    public static ProtocolException Error(VarintResult result) => result == VarintResult.Truncated
        ? new ProtocolException(ProtocolError.Truncated, "buffer ends inside a varint")
        : new ProtocolException(ProtocolError.InvalidVarint, "over-long varint");

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int SizeOfUnsigned(uint value) => value switch
    {
        < 1u << 7 => 1,
        < 1u << 14 => 2,
        < 1u << 21 => 3,
        < 1u << 28 => 4,
        _ => 5,
    };

    public static int SizeOfUnsignedLong(ulong value)
    {
        var size = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            size++;
        }

        return size;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint ZigZag(int value) => (uint)((value << 1) ^ (value >> 31));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong ZigZag(long value) => (ulong)((value << 1) ^ (value >> 63));

    public static int SizeOfVarInt(int value) => SizeOfUnsigned(ZigZag(value));

    public static int SizeOfVarLong(long value) => SizeOfUnsignedLong(ZigZag(value));

    /// <summary>Writes an unsigned varint; returns the bytes written. The span must be large enough.</summary>
    public static int WriteUnsigned(Span<byte> destination, uint value)
    {
        var i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[i++] = (byte)value;
        return i;
    }

    public static int WriteUnsignedLong(Span<byte> destination, ulong value)
    {
        var i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[i++] = (byte)value;
        return i;
    }
}
