using System.Buffers.Binary;

namespace Tributary.Storage;

/// <summary>
/// Time index of one segment (Kafka's <c>.timeindex</c>): entries of timestamp (int64) and
/// relative offset (int32), big-endian, increasing in both. An entry (T, O) means the largest
/// timestamp among batches up to and including offset O is T. A sealed segment's last entry
/// holds the segment's largest timestamp.
/// </summary>
internal sealed class TimeIndex : IDisposable
{
    public const int EntrySize = 12;

    private readonly IndexFile _file;
    private volatile TimestampOffset _last;

    private TimeIndex(IndexFile file, long baseOffset)
    {
        _file = file;
        BaseOffset = baseOffset;
        _last = file.Count > 0 ? ReadEntry(file.Count - 1) : new TimestampOffset(-1, baseOffset);
    }

    public long BaseOffset { get; }

    public int Count => _file.Count;

    public string Path => _file.Path;

    /// <summary>The last entry, or (-1, base offset) when empty.</summary>
    public TimestampOffset LastEntry => _last;

    public static TimeIndex Open(string path, long baseOffset, bool truncate = false) => new(IndexFile.Open(path, EntrySize, truncate), baseOffset);

    public bool IsCorrupt(long nextOffset)
    {
        if (_file.HasPartialEntry)
        {
            return true;
        }

        if (Count == 0)
        {
            return false;
        }

        var first = ReadEntry(0);
        return first.Offset < BaseOffset || _last.Offset < first.Offset || _last.Timestamp < first.Timestamp || _last.Offset >= nextOffset;
    }

    /// <summary>Adds (timestamp, offset) when it raises the indexed maximum.</summary>
    public void MaybeAppend(long timestamp, long offset)
    {
        if (Count > 0 && (timestamp <= _last.Timestamp || offset < _last.Offset))
        {
            return;
        }

        Span<byte> entry = stackalloc byte[EntrySize];
        BinaryPrimitives.WriteInt64BigEndian(entry, timestamp);
        BinaryPrimitives.WriteInt32BigEndian(entry[8..], checked((int)(offset - BaseOffset)));
        _file.Append(entry);
        _last = new TimestampOffset(timestamp, offset);
    }

    /// <summary>
    /// The entry with the largest timestamp strictly below <paramref name="timestamp"/>, or null.
    /// Every record at or before its offset is older than the target, so a search may start after it.
    /// </summary>
    public TimestampOffset? LookupBelow(long timestamp)
    {
        var count = Count;
        if (count == 0)
        {
            return null;
        }

        var i = _file.FindLast(timestamp, 0, 8, strictlyBelow: true, count);
        return i < 0 ? null : ReadEntry(i);
    }

    /// <summary>Removes entries for offsets at or beyond <paramref name="offset"/>.</summary>
    public void TruncateToOffset(long offset)
    {
        var rel = Math.Clamp(offset - BaseOffset, 0, int.MaxValue);
        var keep = _file.FindLast(rel, 8, 4, strictlyBelow: true, Count) + 1;
        _file.TruncateTo(keep);
        _last = keep > 0 ? ReadEntry(keep - 1) : new TimestampOffset(-1, BaseOffset);
    }

    public void Reset()
    {
        _file.TruncateTo(0);
        _last = new TimestampOffset(-1, BaseOffset);
    }

    public void Flush() => _file.Flush();

    public void Rename(string newPath) => _file.Rename(newPath);

    public void DeleteFile() => _file.DeleteFile();

    public void Dispose() => _file.Dispose();

    private TimestampOffset ReadEntry(int index)
    {
        Span<byte> entry = stackalloc byte[EntrySize];
        _file.ReadEntry(index, entry);
        return new TimestampOffset(BinaryPrimitives.ReadInt64BigEndian(entry), BaseOffset + BinaryPrimitives.ReadInt32BigEndian(entry[8..]));
    }
}
