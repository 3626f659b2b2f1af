using System.Runtime.InteropServices;

namespace Tributary.Server;

/// <summary>POSIX signals to child processes (.NET's Process can only SIGKILL).</summary>
public static partial class ProcessSignals
{
    public const int Sigterm = 15;

    /// <summary>Sends <paramref name="signal"/> to <paramref name="pid"/>; false when the process is gone or not ours.</summary>
    public static bool Send(int pid, int signal) => Kill(pid, signal) == 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
