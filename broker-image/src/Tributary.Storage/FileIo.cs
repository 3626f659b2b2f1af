using Microsoft.Win32.SafeHandles;

namespace Tributary.Storage;

/// <summary>Positional reads and writes that loop until done (RandomAccess may return short counts).</summary>
internal static class FileIo
{
    /// <summary>Reads up to <c>buffer.Length</c> bytes at <paramref name="position"/>; fewer only at end of file.</summary>
    public static int ReadAtMost(SafeFileHandle file, Span<byte> buffer, long position)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var n = RandomAccess.Read(file, buffer[total..], position + total);
            if (n == 0)
            {
                break;
            }

            total += n;
        }

        return total;
    }

    public static SafeFileHandle OpenReadWrite(string path, FileMode mode) =>
        File.OpenHandle(path, mode, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);

    /// <summary>Atomically replaces <paramref name="path"/> with <paramref name="content"/>: temp file, fsync, rename, fsync dir.</summary>
    public static void WriteAtomically(string path, ReadOnlySpan<byte> content)
    {
        var temp = path + ".tmp";
        using (var handle = File.OpenHandle(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            RandomAccess.Write(handle, content, 0);
            RandomAccess.FlushToDisk(handle);
        }

        File.Move(temp, path, overwrite: true);
        DirectorySync.Flush(Path.GetDirectoryName(Path.GetFullPath(path))!);
    }
}
