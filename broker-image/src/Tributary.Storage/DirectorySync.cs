using System.Runtime.InteropServices;
using System.Text;

namespace Tributary.Storage;

/// <summary>
/// fsync of a directory, so that file creations and renames survive a power loss. .NET has
/// no API for it; on Unix we open the directory read-only and fsync the descriptor through
/// the C library, resolved by its real file name (<c>libc.so.6</c>: the bare <c>libc.so</c>
/// is a linker script or absent). Elsewhere (Windows) this is a no-op: NTFS journals renames.
/// </summary>
internal static unsafe class DirectorySync
{
    private static readonly delegate* unmanaged<byte*, int, int> OpenFn;
    private static readonly delegate* unmanaged<int, int> FsyncFn;
    private static readonly delegate* unmanaged<int, int> CloseFn;

    // The three exports come from one library handle, resolved once.
    static DirectorySync()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        foreach (var name in new[] { "libc.so.6", "libc.so.7", "/usr/lib/libSystem.dylib", "libc" })
        {
            if (NativeLibrary.TryLoad(name, out var handle))
            {
                OpenFn = (delegate* unmanaged<byte*, int, int>)NativeLibrary.GetExport(handle, "open");
                FsyncFn = (delegate* unmanaged<int, int>)NativeLibrary.GetExport(handle, "fsync");
                CloseFn = (delegate* unmanaged<int, int>)NativeLibrary.GetExport(handle, "close");
                return;
            }
        }
    }

    /// <summary>True when directory fsync is available on this platform.</summary>
    public static bool Supported => OpenFn != null;

    public static void Flush(string directory)
    {
        if (OpenFn == null)
        {
            return;
        }

        var path = Encoding.UTF8.GetBytes(directory + "\0");
        int fd;
        fixed (byte* p = path)
        {
            fd = OpenFn(p, 0 /* O_RDONLY */);
        }

        if (fd < 0)
        {
            // A missing directory is the caller's problem and shows up on its next file operation.
            return;
        }

        try
        {
            if (FsyncFn(fd) != 0)
            {
                throw new IOException($"fsync of directory {directory} failed (errno {Marshal.GetLastSystemError()})");
            }
        }
        finally
        {
            _ = CloseFn(fd);
        }
    }
}
