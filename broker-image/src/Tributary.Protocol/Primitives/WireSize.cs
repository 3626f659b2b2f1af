using System.Text;

namespace Tributary.Protocol.Primitives;

/// <summary>Encoded sizes of wire primitives, used by messages to size their buffer exactly once.</summary>
public static class WireSize
{
    public static int String(string? value) => 2 + (value is null ? 0 : Encoding.UTF8.GetByteCount(value));

    public static int CompactString(string? value)
    {
        if (value is null)
        {
            return 1;
        }

        var length = Encoding.UTF8.GetByteCount(value);
        return Varint.SizeOfUnsigned((uint)length + 1) + length;
    }

    public static int Bytes(int? length) => 4 + (length ?? 0);

    public static int CompactBytes(int? length) =>
        length is null ? 1 : Varint.SizeOfUnsigned((uint)length.Value + 1) + length.Value;

    public static int CompactArrayLength(int count) => Varint.SizeOfUnsigned((uint)(count + 1));

    public static int UnsignedVarInt(uint value) => Varint.SizeOfUnsigned(value);
}
