using System.Diagnostics;

namespace Tributary.Kube.Tests;

/// <summary>Runs the real kubectl against a kubeconfig, with its own discovery cache directory.</summary>
internal sealed class Kubectl(string kubeconfig, string cacheDirectory)
{
    public static string? FindExecutable()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Append("/usr/bin"))
        {
            var candidate = Path.Combine(dir, "kubectl");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    public async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string arguments, string? stdin = null)
    {
        var start = new ProcessStartInfo(FindExecutable()!, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
        };
        start.Environment["KUBECONFIG"] = kubeconfig;
        start.Environment["KUBECACHEDIR"] = cacheDirectory;
        start.Environment["HOME"] = cacheDirectory;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }
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
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs and asserts success, returning stdout.</summary>
    public async Task<string> OkAsync(string arguments, string? stdin = null)
    {
        var (code, stdout, stderr) = await RunAsync(arguments, stdin);
        Assert.True(code == 0, $"kubectl {arguments} exited {code}: {stderr}{stdout}");
        return stdout;
    }
}
