namespace Tributary.Client.Admin;

/// <summary>A topic (by name) or a broker (by node id as text; empty for cluster-wide defaults) whose configs are read or changed.</summary>
public readonly record struct ConfigResource(ConfigResourceType Type, string Name)
{
    public static ConfigResource Topic(string name) => new(ConfigResourceType.Topic, name);

    public static ConfigResource Broker(int nodeId) => new(ConfigResourceType.Broker, nodeId.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Cluster-wide dynamic broker defaults.</summary>
    public static ConfigResource BrokerDefaults => new(ConfigResourceType.Broker, "");
}
