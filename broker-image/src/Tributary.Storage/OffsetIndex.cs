using System.Buffers.Binary;

namespace Tributary.Storage;

/// <summary>
/// Sparse offset index of one segment (Kafka's <c>.index</c>): entries of relative offset
/// (int32) and file position (int32), big-endian, one per <c>index.interval.bytes</c> of log.
/// Like Kafka, an entry is keyed by the <em>last</em> offset of the batch at that position, so
/// the batch holding any offset at or after the entry's key starts at or after the position.
/// </summary>
internal sealed class OffsetIndex : IDisposable
{
    public const int EntrySize = 8;

    private readonly IndexFile _file;
    private readonly int _maxEntries;
    // The last entry packed as (relative offset << 32 | position) so readers never see a torn pair.
    private long _lastPacked;

    private OffsetIndex(IndexFile file, long baseOffset, int maxEntries)
    {
        _file = file;
        BaseOffset = baseOffset;
        _maxEntries = maxEntries;
        SetLast(file.Count > 0 ? ReadEntry(file.Count - 1) : new OffsetPosition(baseOffset, 0));
    }

    public long BaseOffset { get; }

    public int Count => _file.Count;

    public bool IsFull => _file.Count >= _maxEntries;

    public string Path => _file.Path;

    /// <summary>The last entry, or (base offset, 0) when empty.</summary>
    public OffsetPosition LastEntry
    {
        get
        {
            var packed = Volatile.Read(ref _lastPacked);
            return new OffsetPosition(BaseOffset + (int)(packed >> 32), (int)packed);
        }
    }

    public static OffsetIndex Open(string path, long baseOffset, int maxEntries, bool truncate = false) =>
        new(IndexFile.Open(path, EntrySize, truncate), baseOffset, maxEntries);

    /// <summary>
    /// True when the file cannot be trusted: a torn entry, or entries that point past the end
    /// of the log or are not increasing. Checks the ends only, like Kafka's sanity check.
    /// </summary>
    public bool IsCorrupt(long logSize)
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
        var last = LastEntry;
        return first.Offset < BaseOffset || last.Offset < first.Offset || last.Position < first.Position || last.Position >= logSize;
    }

    public void Append(long offset, int position)
    {
        var last = LastEntry;
        if (Count > 0 && (offset <= last.Offset || position <= last.Position))
        {
            return; // entries must increase; a repeated key adds nothing to a sparse index
        }

        Span<byte> entry = stackalloc byte[EntrySize];
        BinaryPrimitives.WriteInt32BigEndian(entry, checked((int)(offset - BaseOffset)));
        BinaryPrimitives.WriteInt32BigEndian(entry[4..], position);
        // Publish the cached last entry before the count, so a reader that sees the new count
        // never pairs it with an older last entry it would prefer over the file.
        SetLast(new OffsetPosition(offset, position));
        _file.Append(entry);
    }

    /// <summary>The entry with the largest offset &lt;= <paramref name="offset"/>, or (base, 0).</summary>
    public OffsetPosition Lookup(long offset)
    {
        var count = Count;
        if (count == 0 || offset < BaseOffset)
        {
            return new OffsetPosition(BaseOffset, 0);
        }

        // Consumers mostly read at the tail: the last entry answers without touching the file.
        var last = LastEntry;
        if (last.Offset <= offset)
        {
            return last;
        }

        var rel = offset - BaseOffset;
        var i = _file.FindLast(Math.Min(rel, int.MaxValue), 0, 4, strictlyBelow: false, count);
        return i < 0 ? new OffsetPosition(BaseOffset, 0) : ReadEntry(i);
    }

    /// <summary>Removes entries whose position is at or beyond <paramref name="position"/> (log truncation).</summary>
    public void TruncateToPosition(int position)
    {
        var keep = _file.FindLast(position, 4, 4, strictlyBelow: true, Count) + 1;
        _file.TruncateTo(keep);
        SetLast(keep > 0 ? ReadEntry(keep - 1) : new OffsetPosition(BaseOffset, 0));
    }

    public void Reset()
    {
        _file.TruncateTo(0);
        SetLast(new OffsetPosition(BaseOffset, 0));
    }

    public void Flush() => _file.Flush();

    public void Rename(string newPath) => _file.Rename(newPath);

    public void DeleteFile() => _file.DeleteFile();

    public void Dispose() => _file.Dispose();

    private void SetLast(OffsetPosition entry) =>
        Volatile.Write(ref _lastPacked, ((entry.Offset - BaseOffset) << 32) | (uint)entry.Position);

    private OffsetPosition ReadEntry(int index)
    {
        Span<byte> entry = stackalloc byte[EntrySize];
        _file.ReadEntry(index, entry);
        return new OffsetPosition(BaseOffset + BinaryPrimitives.ReadInt32BigEndian(entry), BinaryPrimitives.ReadInt32BigEndian(entry[4..]));
    }
}
