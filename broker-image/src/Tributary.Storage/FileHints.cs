using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Tributary.Storage;

/// <summary>
/// Linux's file-space and page-cache controls for a file range, which .NET does not expose:
/// <c>fallocate(FALLOC_FL_KEEP_SIZE)</c> (reserve blocks past the end without changing the size),
/// <c>sync_file_range</c> (start or wait for writeback) and <c>posix_fadvise(DONTNEED)</c> (drop
/// clean pages). Resolved from the C library by its real file name, like <see cref="DirectorySync"/>;
/// elsewhere <see cref="Supported"/> is false and callers skip them. All are hints: a failure
/// changes performance, never data, so callers ignore it.
/// </summary>
internal static unsafe class FileHints
{
    private const int FallocKeepSize = 1;
    private const uint SyncWaitBefore = 1;
    private const uint SyncWrite = 2;
    private const uint SyncWaitAfter = 4;
    private const int FadviseDontNeed = 4;

    private static readonly delegate* unmanaged<int, long, long, uint, int> SyncFileRangeFn;
    private static readonly delegate* unmanaged<int, long, long, int, int> FadviseFn;
    private static readonly delegate* unmanaged<int, int, long, long, int> FallocateFn;

    static FileHints()
    {
        if (!OperatingSystem.IsLinux() || !NativeLibrary.TryLoad("libc.so.6", out var libc))
        {
            return;
        }

        if (NativeLibrary.TryGetExport(libc, "sync_file_range", out var sync)
            && NativeLibrary.TryGetExport(libc, "posix_fadvise", out var fadvise)
            && NativeLibrary.TryGetExport(libc, "fallocate", out var fallocate))
        {
            SyncFileRangeFn = (delegate* unmanaged<int, long, long, uint, int>)sync;
            FadviseFn = (delegate* unmanaged<int, long, long, int, int>)fadvise;
            FallocateFn = (delegate* unmanaged<int, int, long, long, int>)fallocate;
        }
    }

    public static bool Supported => SyncFileRangeFn != null;

    /// <summary>Reserves disk blocks for the range without changing the file's size (ftruncate to the size frees them).</summary>
    public static bool Preallocate(SafeFileHandle file, long offset, long length)
    {
        using var fd = new Descriptor(file);
        return fd.Value >= 0 && FallocateFn(fd.Value, FallocKeepSize, offset, length) == 0;
    }

    /// <summary>Queues the range's dirty pages for writeback without waiting for the device.</summary>
    public static bool StartWriteback(SafeFileHandle file, long offset, long length)
    {
        using var fd = new Descriptor(file);
        return fd.Value >= 0 && SyncFileRangeFn(fd.Value, offset, length, SyncWrite) == 0;
    }

    /// <summary>Writes the range back, waits until its pages are clean, then drops them from the cache.</summary>
    public static bool WriteBackAndDrop(SafeFileHandle file, long offset, long length)
    {
        using var fd = new Descriptor(file);
        return fd.Value >= 0
            && SyncFileRangeFn(fd.Value, offset, length, SyncWaitBefore | SyncWrite | SyncWaitAfter) == 0
            && FadviseFn(fd.Value, offset, length, FadviseDontNeed) == 0;
    }

    /// <summary>
    /// The file's descriptor, kept open for the duration of one call (a concurrent close cannot
    /// hand the number to another file meanwhile); -1 when unsupported or already closed.
    /// </summary>
    private readonly ref struct Descriptor
    {
        private readonly SafeFileHandle _file;

        public Descriptor(SafeFileHandle file)
        {
            _file = file;
            Value = -1;
            if (!Supported || file.IsClosed)
            {
                return;
            }

            var added = false;
            try
            {
                file.DangerousAddRef(ref added);
            }
            catch (ObjectDisposedException)
            {
                return; // closed meanwhile: nothing left to hint about
            }

            if (added)
            {
                Value = (int)file.DangerousGetHandle();
            }
        }

        public int Value { get; }

        public void Dispose()
        {
            if (Value >= 0)
            {
                _file.DangerousRelease();
            }
        }
    }
}
