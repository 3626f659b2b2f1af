using System.Globalization;
using System.Text;

namespace Tributary.Storage;

/// <summary>
/// Kafka's per-log-dir offset checkpoint files (<c>recovery-point-offset-checkpoint</c>,
/// <c>log-start-offset-checkpoint</c>): a version line (0), a count line, then one
/// <c>topic partition offset</c> line per partition. Written atomically (temp, fsync, rename).
/// </summary>
public static class OffsetCheckpointFile
{
    public const string RecoveryPointFileName = "recovery-point-offset-checkpoint";
    public const string LogStartOffsetFileName = "log-start-offset-checkpoint";
    private const int Version = 0;

    public static void Write(string path, IReadOnlyDictionary<TopicPartition, long> offsets)
    {
        ArgumentNullException.ThrowIfNull(offsets);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{Version}\n{offsets.Count}\n");
        foreach (var (tp, offset) in offsets.OrderBy(e => e.Key.Topic, StringComparer.Ordinal).ThenBy(e => e.Key.Partition))
        {
            text.Append(CultureInfo.InvariantCulture, $"{tp.Topic} {tp.Partition} {offset}\n");
        }

        FileIo.WriteAtomically(path, Encoding.UTF8.GetBytes(text.ToString()));
    }

    /// <summary>Reads a checkpoint file; a missing file is empty. A malformed file raises <see cref="StorageException"/>.</summary>
    public static Dictionary<TopicPartition, long> Read(string path)
    {
        var result = new Dictionary<TopicPartition, long>();
        if (!File.Exists(path))
        {
            return result;
        }

        var lines = File.ReadAllLines(path);
        if (lines.Length < 2 || lines[0].Trim() != "0")
        {
            throw Malformed(path, "unsupported version or missing header");
        }

        if (!int.TryParse(lines[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count) || lines.Length - 2 < count)
        {
            throw Malformed(path, "bad entry count");
        }

        for (var i = 0; i < count; i++)
        {
            var parts = lines[2 + i].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 3 ||
                !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var partition) ||
                !long.TryParse(parts[2], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var offset))
            {
                throw Malformed(path, $"bad line {i + 3}");
            }

            result[new TopicPartition(parts[0], partition)] = offset;
        }

        return result;
    }

    private static StorageException Malformed(string path, string detail) =>
        new(StorageError.CorruptCheckpoint, $"malformed checkpoint file {path}: {detail}");
}
