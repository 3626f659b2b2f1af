using System.Globalization;

namespace Tributary.Storage;

/// <summary>A topic name and partition number; also names the partition's directory.</summary>
public readonly record struct TopicPartition(string Topic, int Partition)
{
    /// <summary>The directory name Kafka uses for a partition log: <c>topic-partition</c>.</summary>
    public string DirectoryName => Topic + "-" + Partition.ToString(CultureInfo.InvariantCulture);

    public override string ToString() => DirectoryName;

    /// <summary>
    /// Parses a partition directory name. Topic names may contain '-', so the partition is the
    /// part after the last one. Returns false for names that are not partition logs: directories
    /// renamed for deletion (<c>topic-0.uuid-delete</c>) end in a word, not a number.
    /// </summary>
    public static bool TryParseDirectoryName(string name, out TopicPartition topicPartition)
    {
        topicPartition = default;
        var dash = name.LastIndexOf('-');
        if (dash <= 0 || dash == name.Length - 1)
        {
            return false;
        }

        if (!int.TryParse(name.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var partition))
        {
            return false;
        }

        topicPartition = new TopicPartition(name[..dash], partition);
        return true;
    }
}
