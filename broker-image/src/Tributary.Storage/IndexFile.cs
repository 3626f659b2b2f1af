using Microsoft.Win32.SafeHandles;

namespace Tributary.Storage;

/// <summary>
/// An append-only file of fixed-size entries, the storage under <see cref="OffsetIndex"/> and
/// <see cref="TimeIndex"/>. Entries are written with positional writes and read back with
/// positional reads, so an index costs no memory beyond its last entry and needs no trimming
/// on roll or close (unlike Kafka's preallocated mmapped files). Readers see only entries
/// below the published <see cref="Count"/>, which is raised after the bytes are written.
/// </summary>
internal sealed class IndexFile : IDisposable
{
    private readonly int _entrySize;
    private SafeFileHandle _file;
    private int _count;

    private IndexFile(string path, SafeFileHandle file, int entrySize, int count, bool torn)
    {
        Path = path;
        _file = file;
        _entrySize = entrySize;
        _count = count;
        HasPartialEntry = torn;
    }

    public string Path { get; private set; }

    public int Count => Volatile.Read(ref _count);

    /// <summary>The file length was not a multiple of the entry size when opened (a torn write).</summary>
    public bool HasPartialEntry { get; }

    public static IndexFile Open(string path, int entrySize, bool truncate)
    {
        var file = FileIo.OpenReadWrite(path, truncate ? FileMode.Create : FileMode.OpenOrCreate);
        var length = RandomAccess.GetLength(file);
        var count = (int)Math.Min(int.MaxValue, length / entrySize);
        return new IndexFile(path, file, entrySize, count, length % entrySize != 0);
    }

    public void ReadEntry(int index, Span<byte> entry)
    {
        if (FileIo.ReadAtMost(_file, entry[.._entrySize], (long)index * _entrySize) != _entrySize)
        {
            throw new IOException($"index {Path} is shorter than its entry count");
        }
    }

    /// <summary>Appends one entry and publishes it. Callers serialize appends.</summary>
    public void Append(ReadOnlySpan<byte> entry)
    {
        var count = _count;
        RandomAccess.Write(_file, entry[.._entrySize], (long)count * _entrySize);
        Volatile.Write(ref _count, count + 1);
    }

    /// <summary>Keeps the first <paramref name="count"/> entries.</summary>
    public void TruncateTo(int count)
    {
        Volatile.Write(ref _count, Math.Min(count, _count));
        RandomAccess.SetLength(_file, (long)_count * _entrySize);
    }

    public void Flush() => RandomAccess.FlushToDisk(_file);

    /// <summary>Renames the file; the open handle stays valid (POSIX rename semantics).</summary>
    public void Rename(string newPath)
    {
        if (File.Exists(Path))
        {
            File.Move(Path, newPath, overwrite: true);
        }

        Path = newPath;
    }

    public void DeleteFile()
    {
        Dispose();
        File.Delete(Path);
    }

    public void Dispose() => _file.Dispose();

    /// <summary>
    /// Binary search over the first <paramref name="count"/> entries, which are ordered by the
    /// big-endian key of <paramref name="keyWidth"/> bytes (4 or 8) at <paramref name="keyOffset"/>:
    /// the index of the last entry whose key is &lt;= <paramref name="target"/> (or &lt; when
    /// <paramref name="strictlyBelow"/>), or -1.
    /// </summary>
    public int FindLast(long target, int keyOffset, int keyWidth, bool strictlyBelow, int count)
    {
        Span<byte> entry = stackalloc byte[_entrySize];
        int lo = 0, hi = count - 1, found = -1;
        while (lo <= hi)
        {
            var mid = lo + ((hi - lo) / 2);
            ReadEntry(mid, entry);
            var key = keyWidth == 8
                ? System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(entry[keyOffset..])
                : System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(entry[keyOffset..]);
            if (strictlyBelow ? key < target : key <= target)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return found;
    }
}
