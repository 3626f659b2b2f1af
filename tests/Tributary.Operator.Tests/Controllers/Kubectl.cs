using System.Diagnostics;
using Xunit;

namespace Tributary.Operator.Tests.Controllers;

/// <summary>Runs the real kubectl against a kubeconfig, with its own discovery cache directory.</summary>
internal sealed class Kubectl(string kubeconfig, string cacheDirectory)
{
    public static string? FindExecutable() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/bin")
            .Select(dir => Path.Combine(dir, "kubectl"))
            .FirstOrDefault(File.Exists);

    public async Task<string> OkAsync(string arguments)
    {
        var start = new ProcessStartInfo(FindExecutable()!, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["KUBECONFIG"] = kubeconfig;
        start.Environment["KUBECACHEDIR"] = cacheDirectory;
        start.Environment["HOME"] = cacheDirectory;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"kubectl {arguments} did not finish in 30 s");
        }

        Assert.True(process.ExitCode == 0, $"kubectl {arguments} exited {process.ExitCode}: {await stderr}{await stdout}");
        return await stdout;
    }
}
