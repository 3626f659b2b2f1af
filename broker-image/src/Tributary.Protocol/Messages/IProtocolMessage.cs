using Tributary.Protocol.Primitives;

namespace Tributary.Protocol.Messages;

/// <summary>
/// A message generated from a Kafka schema: it can read, write and size itself at every version
/// in its valid range. <see cref="Size"/> is exact, so a caller sizes a buffer once and
/// <see cref="Write"/> fills it.
/// </summary>
public interface IProtocolMessage
{
    short LowestSupportedVersion { get; }

    short HighestSupportedVersion { get; }

    /// <summary>
    /// Replaces every field with the values read at <paramref name="version"/>; fields that version
    /// lacks get their defaults. Throws <see cref="ProtocolException"/> for malformed input or an
    /// unsupported version.
    /// </summary>
    void Read(ref KafkaReader reader, short version);

    /// <summary>Writes the fields that <paramref name="version"/> carries.</summary>
    void Write(ref KafkaWriter writer, short version);

    /// <summary>The exact number of bytes <see cref="Write"/> produces at <paramref name="version"/>.</summary>
    int Size(short version);
}
