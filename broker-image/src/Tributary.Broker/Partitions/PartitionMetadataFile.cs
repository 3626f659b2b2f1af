using System.Globalization;
using System.Text;
using Tributary.Protocol.Primitives;

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
            if (line.StartsWith(prefix, StringComparison.Ordinal) && KafkaUuid.TryParse(line[prefix.Length..].Trim(), out var id))
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
        var text = string.Create(CultureInfo.InvariantCulture, $"version: 0\ntopic_id: {KafkaUuid.Format(topicId)}\n");
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write))
        {
            file.Write(Encoding.ASCII.GetBytes(text));
            file.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
    }
}
