namespace Tributary.Broker.FetchSessions;

/// <summary>
/// What to read from one partition: the fields of a FetchRequest partition (<paramref name="LastFetchedEpoch"/>:
/// v12+ follower fetches, the epoch of the follower's last batch, -1 when not sent).
/// </summary>
public readonly record struct FetchTarget(FetchPartitionKey Key, long FetchOffset, int MaxBytes, int CurrentLeaderEpoch, int LastFetchedEpoch = -1);
