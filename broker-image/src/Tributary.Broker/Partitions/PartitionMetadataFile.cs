using System.Globalization;
using System.Text;

namespace Tributary.Broker.Partitions;

/// <summary>
/// <c>partition.metadata</c> in a partition directory records the topic id the log belongs to
/// (Kafka's format: <c>version: 0</c>, <c>topic_id: &lt;base64url uuid&gt;</c>), so a log left by a
/// deleted topic is not mistaken for a new topic of the same name.
/// </summary>
public static class PartitionMetadataFile
{
    public const string FileName = "partition.metadata";

    /// <summary>The recorded topic id, or null when the file is missing or unreadable.</summary>
    public static Guid? Read(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            return null;
        }

        foreach (var line in File.ReadAllLines(path))
        {
            const string prefix = "topic_id: ";
            if (line.StartsWith(prefix, StringComparison.Ordinal) && TryDecode(line[prefix.Length..].Trim(), out var id))
            {
                return id;
            }
        }

        return null;
    }

    public static void Write(string directory, Guid topicId)
    {
        var path = Path.Combine(directory, FileName);
        var temp = path + ".tmp";
        var text = string.Create(CultureInfo.InvariantCulture, $"version: 0\ntopic_id: {Encode(topicId)}\n");
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write))
        {
            file.Write(Encoding.ASCII.GetBytes(text));
            file.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Kafka prints a Uuid as the URL-safe base64 of its 16 big-endian bytes, unpadded.</summary>
    public static string Encode(Guid id) =>
        Convert.ToBase64String(id.ToByteArray(bigEndian: true)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static bool TryDecode(string text, out Guid id)
    {
        id = Guid.Empty;
        var base64 = text.Replace('-', '+').Replace('_', '/');
        base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
        Span<byte> bytes = stackalloc byte[18];
        if (!Convert.TryFromBase64String(base64, bytes, out var written) || written != 16)
        {
            return false;
        }

        id = new Guid(bytes[..16], bigEndian: true);
        return true;
    }
}
