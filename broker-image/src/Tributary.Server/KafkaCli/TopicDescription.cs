using Tributary.Client.Admin;
using Tributary.Client.Cluster;

namespace Tributary.Server.KafkaCli;

/// <summary>Everything <c>kafka-topics --describe</c> prints about one topic.</summary>
public sealed record TopicDescription(
    TopicMetadata Topic,
    IReadOnlyList<ConfigEntry> Configs,
    IReadOnlyDictionary<int, PartitionReassignment> Reassignments);
