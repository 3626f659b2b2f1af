namespace Tributary.Server.Tests.Cluster;

/// <summary>
/// A multi-process cluster test (several `tributary broker` processes under `tributary dev`). They run
/// in `make test` and take about a minute each; TRIBUTARY_CLUSTER_TESTS=0 skips them for a quick
/// local loop. Filter with Category=Cluster.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ClusterFactAttribute : FactAttribute
{
    public const string EnvironmentVariable = "TRIBUTARY_CLUSTER_TESTS";

    public ClusterFactAttribute()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) == "0")
        {
            Skip = $"multi-broker cluster test skipped: {EnvironmentVariable}=0";
        }

        Timeout = 20 * 60 * 1000;
    }
}
