using Tributary.Protocol.Primitives;

namespace Tributary.Protocol.Messages;

/// <summary>Convenience helpers over <see cref="IProtocolMessage"/> for callers that want arrays.</summary>
public static class MessageSerializer
{
    /// <summary>Serializes a message into a new array of exactly <see cref="IProtocolMessage.Size"/> bytes.</summary>
    public static byte[] ToArray(IProtocolMessage message, short version)
    {
        ArgumentNullException.ThrowIfNull(message);
        var buffer = new byte[message.Size(version)];
        var writer = new KafkaWriter(buffer);
        message.Write(ref writer, version);
        if (writer.Position != buffer.Length)
        {
            throw new InvalidOperationException($"{message.GetType().Name}.Size reported {buffer.Length} bytes but Write produced {writer.Position}");
        }

        return buffer;
    }

    /// <summary>Reads a message of type <typeparamref name="T"/> from the whole buffer.</summary>
    public static T Read<T>(ReadOnlyMemory<byte> buffer, short version)
        where T : IProtocolMessage, new()
    {
        var message = new T();
        var reader = new KafkaReader(buffer);
        message.Read(ref reader, version);
        return message;
    }
}
