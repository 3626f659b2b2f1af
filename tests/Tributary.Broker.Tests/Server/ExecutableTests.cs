using System.Diagnostics;
using System.Runtime.InteropServices;
using Tributary.Server;
using Xunit;

namespace Tributary.Broker.Tests.Server;

/// <summary>Runs the built <c>tributary</c> executable as a real process: exit codes and signal handling.</summary>
public sealed partial class ExecutableTests
{
    [Fact]
    public async Task ProcessRefusesBadConfigWithExitCode2()
    {
        using var config = new TempConfig(TempConfig.Valid.Replace("listeners=PLAINTEXT://127.0.0.1:0", "listeners=PLAINTEXT:/127.0.0.1:0", StringComparison.Ordinal));
        using var process = Start("broker", "--config", config.Path);
        string err = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(ExitCodes.Usage, process.ExitCode);
        Assert.Contains("'listeners'", err, StringComparison.Ordinal);
        Assert.Contains("NAME://host:port", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SigtermShutsDownCleanlyAndFlushesLogs()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // POSIX signals; CI runs on Linux.
        }

        using var config = new TempConfig(TempConfig.Valid);
        using var process = Start("broker", "--config", config.Path);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            string? line;
            do
            {
                line = await process.StandardOutput.ReadLineAsync(timeout.Token);
            }
            while (line is not null && !line.Contains("started; listeners:", StringComparison.Ordinal));

            Assert.NotNull(line);
            Assert.Equal(0, Kill(process.Id, SigTerm));
            string rest = await process.StandardOutput.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            Assert.Equal(ExitCodes.Ok, process.ExitCode);
            Assert.Contains("Broker stopped", rest, StringComparison.Ordinal);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }

    private const int SigTerm = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    private static Process Start(params string[] args)
    {
        string dll = typeof(Program).Assembly.Location;
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        foreach (string a in args)
        {
            info.ArgumentList.Add(a);
        }

        return Process.Start(info)!;
    }
}
