using Tributary.Protocol.Messages;
using Tributary.Protocol.Primitives;

namespace Tributary.Client.Consumer;

/// <summary>
/// The "consumer" group protocol's member metadata (subscription) and assignment: an int16 version,
/// then the schema body at that version. Data from newer versions is read at the newest version we
/// know, as Kafka does (later versions only append fields).
/// </summary>
public static class ConsumerProtocolCodec
{
    public const string ProtocolType = "consumer";

    /// <summary>Subscription v1 carries owned partitions; we send none (eager rebalancing).</summary>
    private const short SubscriptionVersion = 1;

    private const short AssignmentVersion = 1;

    public static byte[] EncodeSubscription(IEnumerable<string> topics, byte[]? userData = null)
    {
        var message = new ConsumerProtocolSubscription { Topics = topics.Order(StringComparer.Ordinal).ToList(), UserData = userData };
        return Encode(message, SubscriptionVersion);
    }

    public static ConsumerProtocolSubscription DecodeSubscription(ReadOnlyMemory<byte> data) => Decode<ConsumerProtocolSubscription>(data);

    public static byte[] EncodeAssignment(IEnumerable<TopicPartition> partitions, byte[]? userData = null)
    {
        var message = new ConsumerProtocolAssignment
        {
            UserData = userData,
            AssignedPartitions = partitions.GroupBy(p => p.Topic, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => new ConsumerProtocolAssignment.TopicPartition { Topic = g.Key, Partitions = g.Select(p => p.Partition).Order().ToList() })
                .ToList(),
        };
        return Encode(message, AssignmentVersion);
    }

    /// <summary>The partitions of an assignment; an empty buffer (no assignment) gives none.</summary>
    public static IReadOnlyList<TopicPartition> DecodeAssignment(ReadOnlyMemory<byte> data)
    {
        if (data.IsEmpty)
        {
            return [];
        }

        var message = Decode<ConsumerProtocolAssignment>(data);
        return message.AssignedPartitions.SelectMany(t => t.Partitions.Select(p => new TopicPartition(t.Topic, p))).ToList();
    }

    /// <summary>Like <see cref="DecodeAssignment"/>, but malformed data gives an empty list (for describing foreign groups).</summary>
    public static IReadOnlyList<TopicPartition> TryReadAssignment(ReadOnlyMemory<byte> data)
    {
        try
        {
            return DecodeAssignment(data);
        }
        catch (ProtocolException)
        {
            return [];
        }
    }

    private static byte[] Encode(IProtocolMessage message, short version)
    {
        var buffer = new byte[2 + message.Size(version)];
        var writer = new KafkaWriter(buffer);
        writer.WriteInt16(version);
        message.Write(ref writer, version);
        return buffer;
    }

    private static T Decode<T>(ReadOnlyMemory<byte> data)
        where T : IProtocolMessage, new()
    {
        var reader = new KafkaReader(data);
        var version = reader.ReadInt16();
        if (version < 0)
        {
            throw new ProtocolException(ProtocolError.UnsupportedVersion, $"{typeof(T).Name} version {version}");
        }

        var message = new T();
        message.Read(ref reader, Math.Min(version, message.HighestSupportedVersion));
        return message;
    }
}
