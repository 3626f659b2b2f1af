namespace Tributary.TestSupport;

/// <summary>
/// One node of a <see cref="ClusterProcess"/>, as `tributary dev --config-only` laid it out. On a broker
/// <see cref="Port"/> is its PLAINTEXT (client) port; on a dedicated controller (<see cref="IsBroker"/>
/// false) it is the CONTROLLER port, the only one that node listens on besides metrics.
/// </summary>
public sealed record ClusterNode(int Id, bool IsController, int Port, int? ControllerPort, int MetricsPort, string? Rack, string ConfigPath, bool IsBroker = true)
{
    public string Directory => Path.GetDirectoryName(ConfigPath)!;

    /// <summary>The node's log.dirs (DIR/node-N/logs).</summary>
    public string LogDir => Path.Combine(Directory, "logs");

    public string BootstrapAddress => $"127.0.0.1:{Port}";
}
