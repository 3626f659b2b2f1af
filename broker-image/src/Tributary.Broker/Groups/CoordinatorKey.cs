namespace Tributary.Broker.Groups;

/// <summary>A decoded <c>__consumer_offsets</c> key; topic/partition only for offset commits.</summary>
public readonly record struct CoordinatorKey(CoordinatorKeyType Type, string Group, string? Topic, int Partition);
