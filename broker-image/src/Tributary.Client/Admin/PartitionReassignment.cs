namespace Tributary.Client.Admin;

/// <summary>An ongoing reassignment: the full replica set and the replicas being added and removed.</summary>
public sealed record PartitionReassignment(IReadOnlyList<int> Replicas, IReadOnlyList<int> AddingReplicas, IReadOnlyList<int> RemovingReplicas);
