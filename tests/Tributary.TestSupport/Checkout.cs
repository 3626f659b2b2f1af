using System.Reflection;

namespace Tributary.TestSupport;

/// <summary>
/// The repository checkout the tests were built from (the folder holding Operator.sln), for tests
/// that read checked-in files or run checked-in scripts.
/// </summary>
/// <remarks>
/// Never derived from [CallerFilePath]: CI builds set ContinuousIntegrationBuild, which maps source
/// paths to "/_/". Build output may live outside the checkout ($TRIBUTARY_ARTIFACTS), so the path
/// recorded at build time (an MSBuild property, never path-mapped) is the fallback.
/// </remarks>
public static class Checkout
{
    private const string Marker = "Operator.sln";

    public static string Root { get; } = FindRoot();

    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, Marker)))
                {
                    return dir.FullName;
                }
            }
        }

        var recorded = typeof(Checkout).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "CheckoutRoot")?.Value;
        if (recorded is not null && File.Exists(Path.Combine(recorded, Marker)))
        {
            return recorded;
        }

        throw new InvalidOperationException($"cannot find the checkout ({Marker}) from {AppContext.BaseDirectory}");
    }
}
