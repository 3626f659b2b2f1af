using System.Globalization;
using System.Text;

namespace Tributary.Storage;

/// <summary>
/// Leader epoch → start offset history of a partition (KIP-101), persisted in the partition
/// directory as Kafka's <c>leader-epoch-checkpoint</c> (version line 0, count line, then
/// <c>epoch startOffset</c> lines). It answers OffsetsForLeaderEpoch, which followers use to
/// find where their log diverges from the leader's. Thread-safe; writes are atomic.
/// </summary>
public sealed class LeaderEpochCache
{
    public const string FileName = "leader-epoch-checkpoint";

    private readonly object _lock = new();
    private readonly string _path;
    private readonly List<EpochEntry> _entries;

    private LeaderEpochCache(string path, List<EpochEntry> entries)
    {
        _path = path;
        _entries = entries;
    }

    public IReadOnlyList<EpochEntry> Entries
    {
        get
        {
            lock (_lock)
            {
                return [.. _entries];
            }
        }
    }

    /// <summary>The newest epoch, or -1 when none was recorded.</summary>
    public int LatestEpoch
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count == 0 ? -1 : _entries[^1].Epoch;
            }
        }
    }

    /// <summary>Loads the checkpoint in <paramref name="directory"/>; missing or malformed files give an empty history.</summary>
    public static LeaderEpochCache Load(string directory)
    {
        var path = Path.Combine(directory, FileName);
        var entries = new List<EpochEntry>();
        if (File.Exists(path))
        {
            var lines = File.ReadAllLines(path);
            if (lines.Length >= 2 && lines[0].Trim() == "0" && int.TryParse(lines[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count) && lines.Length - 2 >= count)
            {
                for (var i = 0; i < count; i++)
                {
                    var parts = lines[2 + i].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    if (parts.Length != 2 ||
                        !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var epoch) ||
                        !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var start))
                    {
                        entries.Clear();
                        break;
                    }

                    entries.Add(new EpochEntry(epoch, start));
                }
            }
        }

        return new LeaderEpochCache(path, entries);
    }

    /// <summary>
    /// Records that <paramref name="epoch"/> starts at <paramref name="startOffset"/>. The same
    /// epoch again is a no-op; entries with a higher or equal epoch or start offset are replaced.
    /// </summary>
    public void Assign(int epoch, long startOffset)
    {
        if (epoch < 0)
        {
            return;
        }

        lock (_lock)
        {
            if (_entries.Count > 0 && _entries[^1].Epoch == epoch)
            {
                return;
            }

            _entries.RemoveAll(e => e.Epoch >= epoch || e.StartOffset >= startOffset);
            _entries.Add(new EpochEntry(epoch, startOffset));
            Save();
        }
    }

    /// <summary>
    /// OffsetsForLeaderEpoch: the largest epoch &lt;= <paramref name="requestedEpoch"/> and the end
    /// offset of that epoch in this log (the start of the next higher epoch, or the log end for
    /// the latest epoch). (-1, -1) when the epoch is unknown or newer than any recorded.
    /// </summary>
    public EpochEntry EndOffsetFor(int requestedEpoch, long logEndOffset)
    {
        lock (_lock)
        {
            if (requestedEpoch < 0 || _entries.Count == 0)
            {
                return new EpochEntry(-1, -1);
            }

            if (_entries[^1].Epoch == requestedEpoch)
            {
                return new EpochEntry(requestedEpoch, logEndOffset);
            }

            var higher = _entries.FindIndex(e => e.Epoch > requestedEpoch);
            if (higher < 0)
            {
                return new EpochEntry(-1, -1);
            }

            return higher == 0
                ? new EpochEntry(requestedEpoch, _entries[0].StartOffset)
                : new EpochEntry(_entries[higher - 1].Epoch, _entries[higher].StartOffset);
        }
    }

    /// <summary>After the log was truncated to <paramref name="endOffset"/>: drops epochs starting at or after it.</summary>
    public void TruncateFromEnd(long endOffset)
    {
        lock (_lock)
        {
            if (_entries.RemoveAll(e => e.StartOffset >= endOffset) > 0)
            {
                Save();
            }
        }
    }

    /// <summary>After the log start moved to <paramref name="startOffset"/>: the epoch covering it now starts there.</summary>
    public void TruncateFromStart(long startOffset)
    {
        lock (_lock)
        {
            var covering = _entries.FindLastIndex(e => e.StartOffset <= startOffset);
            if (covering < 0 || (covering == 0 && _entries[0].StartOffset == startOffset))
            {
                return;
            }

            var epoch = _entries[covering].Epoch;
            _entries.RemoveRange(0, covering + 1);
            _entries.Insert(0, new EpochEntry(epoch, startOffset));
            Save();
        }
    }

    /// <summary>Forgets everything (the log was emptied).</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _entries.Clear();
            Save();
        }
    }

    private void Save()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"0\n{_entries.Count}\n");
        foreach (var entry in _entries)
        {
            text.Append(CultureInfo.InvariantCulture, $"{entry.Epoch} {entry.StartOffset}\n");
        }

        FileIo.WriteAtomically(_path, Encoding.UTF8.GetBytes(text.ToString()));
    }
}
