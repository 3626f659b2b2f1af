namespace Tributary.Server.Tests.Cluster;

/// <summary>
/// A multi-process cluster test: runs only with TRIBUTARY_CLUSTER_TESTS=1 (they need the Raft quorum,
/// controller and replication wired into the broker, and take minutes). Filter with Category=Cluster.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ClusterFactAttribute : FactAttribute
{
    public const string EnvironmentVariable = "TRIBUTARY_CLUSTER_TESTS";

    public ClusterFactAttribute()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) != "1")
        {
            Skip = $"multi-broker cluster test: set {EnvironmentVariable}=1 to run it";
        }

        Timeout = 20 * 60 * 1000;
    }
}
