using System.Diagnostics;

namespace Tributary.Server;

/// <summary>
/// How to start another <c>tributary</c> process from this one: the same native executable, or,
/// when running as <c>dotnet tributary.dll</c> (or inside a test host), the dotnet muxer with this assembly.
/// </summary>
public sealed record TributaryLauncher(string FileName, IReadOnlyList<string> PrefixArguments)
{
    /// <summary>The launcher for the current process.</summary>
    public static TributaryLauncher Current()
    {
        var processPath = Environment.ProcessPath;
        if (processPath is not null && Path.GetFileNameWithoutExtension(processPath) == "tributary")
        {
            return new TributaryLauncher(processPath, []);
        }

        var muxer = processPath is not null && Path.GetFileNameWithoutExtension(processPath) == "dotnet" ? processPath : "dotnet";
        return new TributaryLauncher(muxer, [typeof(Program).Assembly.Location]);
    }

    /// <summary>A start info for <c>tributary</c> with <paramref name="arguments"/>, output redirected.</summary>
    public ProcessStartInfo StartInfo(IEnumerable<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var psi = new ProcessStartInfo(FileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
        };
        foreach (var argument in PrefixArguments.Concat(arguments))
        {
            psi.ArgumentList.Add(argument);
        }

        return psi;
    }
}
