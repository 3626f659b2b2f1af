namespace Tributary.Protocol.Primitives;

/// <summary>
/// Kafka's text form of a Uuid (topic ids, directory ids; <c>Uuid.toString</c>): the 16 bytes in
/// big-endian order as URL-safe base64 without padding, always 22 characters. The wire form is the
/// 16 bytes themselves; this is what meta.properties, partition.metadata and the CLI tools show.
/// </summary>
public static class KafkaUuid
{
    private const int TextLength = 22;

    public static string Format(Guid id)
    {
        Span<byte> bytes = stackalloc byte[16];
        id.TryWriteBytes(bytes, bigEndian: true, out _);
        return Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>Parses <see cref="Format"/>'s output; false for anything else (wrong length, characters outside base64url).</summary>
    public static bool TryParse(string? text, out Guid id)
    {
        id = Guid.Empty;
        if (text is null || text.Length != TextLength)
        {
            return false;
        }

        var base64 = text.Replace('-', '+').Replace('_', '/') + "==";
        Span<byte> bytes = stackalloc byte[18];
        if (!Convert.TryFromBase64String(base64, bytes, out var written) || written != 16)
        {
            return false;
        }

        id = new Guid(bytes[..16], bigEndian: true);
        return true;
    }
}
