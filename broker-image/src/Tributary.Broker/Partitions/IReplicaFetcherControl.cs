using Tributary.Storage;

namespace Tributary.Broker.Partitions;

/// <summary>
/// What the replica manager tells the replica fetchers as metadata changes: which local
/// partitions follow which leader (in which epoch), and which stop following. Calls are quick
/// state updates made under the replica manager's reconcile lock.
/// </summary>
public interface IReplicaFetcherControl
{
    /// <summary>Starts (or moves) fetching for these partitions from their leaders.</summary>
    void Follow(IReadOnlyList<FollowTarget> partitions);

    /// <summary>Stops fetching these partitions (now led here, deleted, moved away or leaderless).</summary>
    void Unfollow(IReadOnlyCollection<TopicPartition> partitions);
}
