namespace Tributary.Operator.Rendering;

/// <summary>Ports and listener names the operator reserves on every node.</summary>
public static class ClusterPorts
{
    /// <summary>KRaft quorum traffic.</summary>
    public const int Controller = 9090;

    /// <summary>Inter-broker replication traffic.</summary>
    public const int Replication = 9091;

    /// <summary>Prometheus /metrics of the broker.</summary>
    public const int Metrics = 9404;

    public const string ControllerListener = "CONTROLLER";

    public const string ReplicationListener = "REPLICATION";

    /// <summary>Kafka listener name of a user listener: upper-case name and port (e.g. PLAIN-9092).</summary>
    public static string KafkaListenerName(string name, int port) =>
        name.ToUpperInvariant() + "-" + port.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
