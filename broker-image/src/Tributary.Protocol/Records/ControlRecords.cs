using System.Buffers.Binary;

namespace Tributary.Protocol.Records;

/// <summary>
/// Keys and values of control records. The key is <c>version int16 (0) | type int16</c>;
/// a transaction marker's value (EndTransactionMarker) is <c>version int16 (0) | coordinatorEpoch int32</c>.
/// </summary>
public static class ControlRecords
{
    public const int KeySize = 4;
    public const int EndTransactionMarkerSize = 6;

    public static byte[] Key(ControlRecordType type)
    {
        var key = new byte[KeySize];
        BinaryPrimitives.WriteInt16BigEndian(key, 0);
        BinaryPrimitives.WriteInt16BigEndian(key.AsSpan(2), (short)type);
        return key;
    }

    /// <summary>Reads a control record key; false when it is too short (Kafka ignores extra bytes of newer versions).</summary>
    public static bool TryReadType(ReadOnlySpan<byte> key, out ControlRecordType type)
    {
        if (key.Length < KeySize || BinaryPrimitives.ReadInt16BigEndian(key) < 0)
        {
            type = default;
            return false;
        }

        type = (ControlRecordType)BinaryPrimitives.ReadInt16BigEndian(key[2..]);
        return true;
    }

    public static byte[] EndTransactionMarker(int coordinatorEpoch)
    {
        var value = new byte[EndTransactionMarkerSize];
        BinaryPrimitives.WriteInt16BigEndian(value, 0);
        BinaryPrimitives.WriteInt32BigEndian(value.AsSpan(2), coordinatorEpoch);
        return value;
    }

    public static bool TryReadCoordinatorEpoch(ReadOnlySpan<byte> value, out int coordinatorEpoch)
    {
        if (value.Length < EndTransactionMarkerSize || BinaryPrimitives.ReadInt16BigEndian(value) < 0)
        {
            coordinatorEpoch = 0;
            return false;
        }

        coordinatorEpoch = BinaryPrimitives.ReadInt32BigEndian(value[2..]);
        return true;
    }
}
