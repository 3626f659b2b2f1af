namespace Tributary.Client.Admin;

/// <summary>
/// A topic to create. -1 partitions or replication factor take the broker defaults; a replica
/// assignment (partition -> broker ids) replaces both.
/// </summary>
public sealed record NewTopic(string Name, int NumPartitions = -1, short ReplicationFactor = -1)
{
    public IReadOnlyDictionary<string, string?> Configs { get; init; } = new Dictionary<string, string?>();

    public IReadOnlyDictionary<int, IReadOnlyList<int>> ReplicaAssignment { get; init; } = new Dictionary<int, IReadOnlyList<int>>();
}
