using Tributary.Protocol;
using Tributary.Protocol.Messages;
using Tributary.Protocol.Metadata;
using Tributary.Protocol.Primitives;

namespace Tributary.Broker.Metadata;

/// <summary>
/// Kafka's framing of a metadata record inside a record value (MetadataRecordSerde):
/// <c>unsigned varint frameVersion (1) | unsigned varint record type | unsigned varint version | body</c>.
/// </summary>
public static class MetadataRecordSerde
{
    public const int FrameVersion = 1;

    /// <summary>
    /// The version written for each record type: the newest, except partition records, which are
    /// written at v0 because v1+ require per-replica log directory ids this broker does not assign yet.
    /// </summary>
    public static short VersionFor(IMetadataRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record.RecordType is MetadataRecordType.PartitionRecord or MetadataRecordType.PartitionChangeRecord
            ? (short)0
            : record.HighestSupportedVersion;
    }

    public static int Size(IMetadataRecord record, short version)
    {
        ArgumentNullException.ThrowIfNull(record);
        return Varint.SizeOfUnsigned(FrameVersion) + Varint.SizeOfUnsigned((uint)(short)record.RecordType)
            + Varint.SizeOfUnsigned((uint)version) + record.Size(version);
    }

    /// <summary>The framed record at <see cref="VersionFor"/>.</summary>
    public static byte[] Serialize(IMetadataRecord record) => Serialize(record, VersionFor(record));

    public static byte[] Serialize(IMetadataRecord record, short version)
    {
        var buffer = new byte[Size(record, version)];
        var writer = new KafkaWriter(buffer);
        writer.WriteUnsignedVarInt(FrameVersion);
        writer.WriteUnsignedVarInt((uint)(short)record.RecordType);
        writer.WriteUnsignedVarInt((uint)version);
        record.Write(ref writer, version);
        return buffer;
    }

    /// <summary>
    /// Reads one framed record. Throws <see cref="ProtocolException"/> for an unknown frame version
    /// or record type, a malformed body or trailing bytes.
    /// </summary>
    public static (IMetadataRecord Record, short Version) Deserialize(ReadOnlyMemory<byte> value)
    {
        var reader = new KafkaReader(value);
        var frame = reader.ReadUnsignedVarInt();
        if (frame != FrameVersion)
        {
            throw new ProtocolException(ProtocolError.CorruptRecord, $"metadata record frame version {frame} is not {FrameVersion}");
        }

        var type = reader.ReadUnsignedVarInt();
        var version = reader.ReadUnsignedVarInt();
        if (type > short.MaxValue || !MetadataRecords.TryCreate((short)type, out var record))
        {
            throw new ProtocolException(ProtocolError.CorruptRecord, $"unknown metadata record type {type}");
        }

        if (version > (uint)record.HighestSupportedVersion)
        {
            throw new ProtocolException(ProtocolError.UnsupportedVersion, $"{record.RecordType} v{version} is newer than v{record.HighestSupportedVersion}");
        }

        record.Read(ref reader, (short)version);
        if (!reader.End)
        {
            throw new ProtocolException(ProtocolError.CorruptRecord, $"{reader.Remaining} trailing bytes after {record.RecordType}");
        }

        return (record, (short)version);
    }
}
