using Tributary.Protocol.Primitives;

namespace Tributary.Broker.Groups;

/// <summary>
/// Reads the topic list from the consumer protocol's subscription metadata
/// (ConsumerProtocolSubscription: int16 version, then <c>[]string Topics</c> in every version).
/// </summary>
public static class ConsumerSubscription
{
    /// <summary>The protocol type of consumer groups.</summary>
    public const string ProtocolType = "consumer";

    /// <summary>Adds the subscribed topics to <paramref name="topics"/>; false when the bytes do not decode.</summary>
    public static bool TryReadTopics(byte[] metadata, ISet<string> topics)
    {
        ArgumentNullException.ThrowIfNull(topics);
        try
        {
            var reader = new KafkaReader(metadata);
            var version = reader.ReadInt16();
            if (version < 0)
            {
                return false;
            }

            var count = reader.ReadArrayLength();
            for (var i = 0; i < count; i++)
            {
                topics.Add(reader.ReadString());
            }

            return true;
        }
        catch (ProtocolException)
        {
            return false;
        }
    }
}
