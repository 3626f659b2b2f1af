using System.Text;
using Tributary.Protocol.Primitives;

namespace Tributary.Broker.Groups;

/// <summary>
/// Encodes and decodes the <c>__consumer_offsets</c> records with Kafka's schemas (each key and
/// value starts with its int16 schema version): OffsetCommitKey v1, OffsetCommitValue v3,
/// GroupMetadataKey v2, GroupMetadataValue v3. Decoding accepts every value version 0-4
/// (v4 is the flexible encoding) so logs written by other versions still load.
/// </summary>
public static class CoordinatorRecordCodec
{
    public const short OffsetCommitKeyVersion = 1;
    public const short GroupMetadataKeyVersion = 2;
    public const short OffsetCommitValueVersion = 3;
    public const short GroupMetadataValueVersion = 3;

    private static int StringSize(string value) => 2 + Encoding.UTF8.GetByteCount(value);

    private static int NullableStringSize(string? value) => value is null ? 2 : StringSize(value);

    public static byte[] EncodeOffsetCommitKey(string group, string topic, int partition)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(topic);
        var buffer = new byte[2 + StringSize(group) + StringSize(topic) + 4];
        var writer = new KafkaWriter(buffer);
        writer.WriteInt16(OffsetCommitKeyVersion);
        writer.WriteString(group);
        writer.WriteString(topic);
        writer.WriteInt32(partition);
        return buffer;
    }

    public static byte[] EncodeGroupMetadataKey(string group)
    {
        ArgumentNullException.ThrowIfNull(group);
        var buffer = new byte[2 + StringSize(group)];
        var writer = new KafkaWriter(buffer);
        writer.WriteInt16(GroupMetadataKeyVersion);
        writer.WriteString(group);
        return buffer;
    }

    public static byte[] EncodeOffsetCommitValue(CommittedOffset value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var buffer = new byte[2 + 8 + 4 + StringSize(value.Metadata) + 8];
        var writer = new KafkaWriter(buffer);
        writer.WriteInt16(OffsetCommitValueVersion);
        writer.WriteInt64(value.Offset);
        writer.WriteInt32(value.LeaderEpoch);
        writer.WriteString(value.Metadata);
        writer.WriteInt64(value.CommitTimestamp);
        return buffer;
    }

    public static byte[] EncodeGroupMetadataValue(GroupMetadataSnapshot value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var size = 2 + StringSize(value.ProtocolType) + 4 + NullableStringSize(value.Protocol) + NullableStringSize(value.Leader) + 8 + 4;
        foreach (var m in value.Members)
        {
            size += StringSize(m.MemberId) + NullableStringSize(m.GroupInstanceId) + StringSize(m.ClientId) + StringSize(m.ClientHost)
                + 4 + 4 + 4 + m.Subscription.Length + 4 + m.Assignment.Length;
        }

        var buffer = new byte[size];
        var writer = new KafkaWriter(buffer);
        writer.WriteInt16(GroupMetadataValueVersion);
        writer.WriteString(value.ProtocolType);
        writer.WriteInt32(value.Generation);
        writer.WriteNullableString(value.Protocol);
        writer.WriteNullableString(value.Leader);
        writer.WriteInt64(value.CurrentStateTimestamp);
        writer.WriteArrayLength(value.Members.Count);
        foreach (var m in value.Members)
        {
            writer.WriteString(m.MemberId);
            writer.WriteNullableString(m.GroupInstanceId);
            writer.WriteString(m.ClientId);
            writer.WriteString(m.ClientHost);
            writer.WriteInt32(m.RebalanceTimeoutMs);
            writer.WriteInt32(m.SessionTimeoutMs);
            writer.WriteBytes(m.Subscription);
            writer.WriteBytes(m.Assignment);
        }

        return buffer;
    }

    /// <summary>Decodes a key; unknown key versions give <see cref="CoordinatorKeyType.Unknown"/>.</summary>
    /// <exception cref="ProtocolException">The key is truncated or malformed.</exception>
    public static CoordinatorKey DecodeKey(ReadOnlyMemory<byte> key)
    {
        var reader = new KafkaReader(key);
        var version = reader.ReadInt16();
        switch (version)
        {
            case 0 or 1:
                {
                    var group = reader.ReadString();
                    var topic = reader.ReadString();
                    var partition = reader.ReadInt32();
                    return new CoordinatorKey(CoordinatorKeyType.OffsetCommit, group, topic, partition);
                }

            case 2:
                return new CoordinatorKey(CoordinatorKeyType.GroupMetadata, reader.ReadString(), null, -1);
            default:
                return new CoordinatorKey(CoordinatorKeyType.Unknown, string.Empty, null, -1);
        }
    }

    /// <exception cref="ProtocolException">Unknown version or malformed bytes.</exception>
    public static CommittedOffset DecodeOffsetCommitValue(ReadOnlyMemory<byte> value)
    {
        var reader = new KafkaReader(value);
        var version = reader.ReadInt16();
        if (version is < 0 or > 4)
        {
            throw new ProtocolException(ProtocolError.UnsupportedVersion, $"OffsetCommitValue version {version}");
        }

        var flexible = version >= 4;
        var offset = reader.ReadInt64();
        var leaderEpoch = version >= 3 ? reader.ReadInt32() : -1;
        var metadata = flexible ? reader.ReadCompactString() : reader.ReadString();
        var commitTimestamp = reader.ReadInt64();
        if (version == 1)
        {
            reader.ReadInt64(); // expireTimestamp: per-commit retention is no longer honoured (KIP-211)
        }

        if (flexible)
        {
            reader.SkipTaggedFields();
        }

        return new CommittedOffset(offset, leaderEpoch, metadata, commitTimestamp);
    }

    /// <exception cref="ProtocolException">Unknown version or malformed bytes.</exception>
    public static GroupMetadataSnapshot DecodeGroupMetadataValue(ReadOnlyMemory<byte> value)
    {
        var reader = new KafkaReader(value);
        var version = reader.ReadInt16();
        if (version is < 0 or > 4)
        {
            throw new ProtocolException(ProtocolError.UnsupportedVersion, $"GroupMetadataValue version {version}");
        }

        var flexible = version >= 4;
        var protocolType = ReadString(ref reader, flexible);
        var generation = reader.ReadInt32();
        var protocol = ReadNullableString(ref reader, flexible);
        var leader = ReadNullableString(ref reader, flexible);
        var timestamp = version >= 2 ? reader.ReadInt64() : -1;
        var count = flexible ? reader.ReadCompactArrayLength() : reader.ReadArrayLength();
        var members = new List<GroupMemberSnapshot>(Math.Max(count, 0));
        for (var i = 0; i < count; i++)
        {
            var memberId = ReadString(ref reader, flexible);
            var instanceId = version >= 3 ? ReadNullableString(ref reader, flexible) : null;
            var clientId = ReadString(ref reader, flexible);
            var clientHost = ReadString(ref reader, flexible);
            var rebalanceTimeout = version >= 1 ? reader.ReadInt32() : -1;
            var sessionTimeout = reader.ReadInt32();
            var subscription = flexible ? reader.ReadCompactBytes() : reader.ReadBytes();
            var assignment = flexible ? reader.ReadCompactBytes() : reader.ReadBytes();
            if (flexible)
            {
                reader.SkipTaggedFields();
            }

            // v0 had no rebalance timeout; Kafka then uses the session timeout.
            members.Add(new GroupMemberSnapshot(memberId, instanceId, clientId, clientHost,
                rebalanceTimeout < 0 ? sessionTimeout : rebalanceTimeout, sessionTimeout, subscription, assignment));
        }

        if (flexible)
        {
            reader.SkipTaggedFields();
        }

        return new GroupMetadataSnapshot(protocolType, generation, protocol, leader, timestamp, members);
    }

    private static string ReadString(ref KafkaReader reader, bool flexible) =>
        flexible ? reader.ReadCompactString() : reader.ReadString();

    private static string? ReadNullableString(ref KafkaReader reader, bool flexible) =>
        flexible ? reader.ReadCompactNullableString() : reader.ReadNullableString();
}
