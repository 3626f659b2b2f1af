namespace Tributary.Broker.Partitions;

/// <summary>
/// Fetch v12+ (KIP-595): where a follower's log diverges from the leader's, the largest epoch
/// both have and the end offset of that epoch on the leader.
/// </summary>
public readonly record struct DivergingEpoch(int Epoch, long EndOffset);
