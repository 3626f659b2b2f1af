namespace Tributary.Broker.FetchSessions;

/// <summary>What to read from one partition: the fields of a FetchRequest partition.</summary>
public readonly record struct FetchTarget(FetchPartitionKey Key, long FetchOffset, int MaxBytes, int CurrentLeaderEpoch);
