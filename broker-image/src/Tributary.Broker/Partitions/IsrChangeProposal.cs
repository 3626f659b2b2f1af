namespace Tributary.Broker.Partitions;

/// <summary>
/// One AlterPartition proposal: the new ISR the leader wants, based on the leadership it knows
/// (leader epoch and partition epoch, which the controller checks for staleness).
/// </summary>
public sealed record IsrChangeProposal(string Topic, Guid TopicId, int Partition, int LeaderEpoch, int PartitionEpoch, IReadOnlyList<int> NewIsr);
