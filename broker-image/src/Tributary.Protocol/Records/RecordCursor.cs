using Tributary.Protocol.Primitives;

namespace Tributary.Protocol.Records;

/// <summary>A bounds-checked reader for record fields that reports errors instead of throwing.</summary>
internal ref struct RecordCursor(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> _data = data;

    public int Position { get; private set; }

    public readonly int Remaining => _data.Length - Position;

    public RecordReadError Error { get; private set; }

    public bool ReadByte(out byte value)
    {
        if (Position >= _data.Length)
        {
            value = 0;
            Error = RecordReadError.Truncated;
            return false;
        }

        value = _data[Position++];
        return true;
    }

    public bool ReadVarInt(out int value)
    {
        var result = Varint.TryReadUnsigned(_data[Position..], out var raw, out var length);
        if (result != VarintResult.Ok)
        {
            value = 0;
            Error = result == VarintResult.Truncated ? RecordReadError.Truncated : RecordReadError.InvalidVarint;
            return false;
        }

        Position += length;
        value = (int)(raw >> 1) ^ -(int)(raw & 1);
        return true;
    }

    public bool ReadVarLong(out long value)
    {
        var result = Varint.TryReadUnsignedLong(_data[Position..], out var raw, out var length);
        if (result != VarintResult.Ok)
        {
            value = 0;
            Error = result == VarintResult.Truncated ? RecordReadError.Truncated : RecordReadError.InvalidVarint;
            return false;
        }

        Position += length;
        value = (long)(raw >> 1) ^ -(long)(raw & 1);
        return true;
    }

    /// <summary>A varint length followed by that many bytes; -1 is null (when allowed).</summary>
    public bool ReadField(bool allowNull, out ReadOnlySpan<byte> value, out bool isNull)
    {
        value = default;
        isNull = false;
        if (!ReadVarInt(out var length))
        {
            return false;
        }

        if (length == -1 && allowNull)
        {
            isNull = true;
            return true;
        }

        if (length < 0)
        {
            Error = RecordReadError.InvalidLength;
            return false;
        }

        if (length > Remaining)
        {
            Error = RecordReadError.Truncated;
            return false;
        }

        value = _data.Slice(Position, length);
        Position += length;
        return true;
    }

    public ReadOnlySpan<byte> Slice(int start, int length) => _data.Slice(start, length);

    public void Fail(RecordReadError error) => Error = error;
}
