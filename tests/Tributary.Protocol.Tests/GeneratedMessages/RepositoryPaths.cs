using Tributary.TestSupport;

namespace Tributary.Protocol.Tests.GeneratedMessages;

/// <summary>Locates the checkout (the folder holding Operator.sln) and the shared schema folder.</summary>
internal static class RepositoryPaths
{
    public static string Root => Checkout.Root;

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
}
