namespace Tributary.Server.Tests.Cluster;

/// <summary>
/// A long randomized cluster test for `make soak` (TRIBUTARY_SOAK=1); skipped in `make test`, where
/// the deterministic cluster tests cover the same paths in bounded time.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SoakFactAttribute : FactAttribute
{
    public const string EnvironmentVariable = "TRIBUTARY_SOAK";

    public SoakFactAttribute()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) != "1")
        {
            Skip = $"soak test: runs with {EnvironmentVariable}=1 (make soak)";
        }

        Timeout = 30 * 60 * 1000;
    }
}
