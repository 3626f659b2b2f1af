using System.Reflection;

namespace Tributary.Protocol.Tests.GeneratedMessages;

/// <summary>Locates the checkout (the folder holding Operator.sln) and the shared schema folder.</summary>
internal static class RepositoryPaths
{
    /// <summary>
    /// Walks up from the test binaries to the folder containing Operator.sln. Build output may live
    /// outside the checkout ($TRIBUTARY_ARTIFACTS), so the root recorded at build time is the fallback.
    /// </summary>
    public static string Root { get; } = FindRoot();

    /// <summary>../shared/kafka-protocol next to the checkout, or null when it is not there (e.g. in CI).</summary>
    public static string? SchemaFolder
    {
        get
        {
            var path = Path.GetFullPath(Path.Combine(Root, "..", "shared", "kafka-protocol"));
            return Directory.Exists(path) ? path : null;
        }
    }

    public static string GeneratedFolder => Path.Combine(Root, "broker-image", "src", "Tributary.Protocol", "Generated");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Operator.sln")))
            {
                return dir.FullName;
            }
        }

        var recorded = typeof(RepositoryPaths).Assembly
            .GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "RepositoryRoot")?.Value;
        if (recorded is not null && File.Exists(Path.Combine(recorded, "Operator.sln")))
        {
            return recorded;
        }

        throw new InvalidOperationException("cannot find the checkout (Operator.sln) from " + AppContext.BaseDirectory);
    }
}
