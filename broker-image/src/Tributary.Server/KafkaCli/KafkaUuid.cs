namespace Tributary.Server.KafkaCli;

/// <summary>Kafka prints a topic id as its 16 big-endian bytes in URL-safe base64 without padding (Uuid.toString).</summary>
public static class KafkaUuid
{
    public static string Format(Guid id) =>
        Convert.ToBase64String(id.ToByteArray(bigEndian: true)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
