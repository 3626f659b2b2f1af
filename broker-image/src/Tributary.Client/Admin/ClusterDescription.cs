using Tributary.Client.Cluster;

namespace Tributary.Client.Admin;

/// <summary>The cluster's id, controller and live brokers (with racks).</summary>
public sealed record ClusterDescription(string? ClusterId, int ControllerId, IReadOnlyList<BrokerNode> Brokers);
