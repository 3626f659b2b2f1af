namespace Tributary.Broker.FetchSessions;

/// <summary>
/// An incremental fetch session (KIP-227): the partitions a client fetches, in fetch order, and
/// the epoch its next request must carry. Guarded by the owning cache's lock.
/// </summary>
public sealed class FetchSession
{
    private readonly LinkedList<FetchSessionPartition> _order = new();
    private readonly Dictionary<FetchPartitionKey, LinkedListNode<FetchSessionPartition>> _byKey = [];

    internal FetchSession(int id, bool usesTopicIds, long nowMs)
    {
        Id = id;
        UsesTopicIds = usesTopicIds;
        LastUsedMs = nowMs;
        Epoch = 1;
    }

    public int Id { get; }

    /// <summary>The epoch the next incremental request must carry.</summary>
    public int Epoch { get; internal set; }

    /// <summary>Created by Fetch v13+ (topic ids); requests of the other kind cannot use it.</summary>
    public bool UsesTopicIds { get; }

    public long LastUsedMs { get; internal set; }

    public int PartitionCount => _byKey.Count;

    internal IEnumerable<FetchSessionPartition> Partitions => _order;

    internal FetchSessionPartition? Find(FetchPartitionKey key) => _byKey.TryGetValue(key, out var node) ? node.Value : null;

    /// <summary>Adds a partition or updates its fetch position.</summary>
    internal FetchSessionPartition Upsert(FetchTarget target)
    {
        if (_byKey.TryGetValue(target.Key, out var node))
        {
            node.Value.Target = target;
            return node.Value;
        }

        var partition = new FetchSessionPartition(target);
        _byKey[target.Key] = _order.AddLast(partition);
        return partition;
    }

    internal void Remove(FetchPartitionKey key)
    {
        if (_byKey.Remove(key, out var node))
        {
            _order.Remove(node);
        }
    }

    /// <summary>Moves a partition to the end, so partitions that just returned data yield to the others next time.</summary>
    internal void MoveToEnd(FetchPartitionKey key)
    {
        if (_byKey.TryGetValue(key, out var node) && node != _order.Last)
        {
            _order.Remove(node);
            _order.AddLast(node);
        }
    }

    /// <summary>KIP-227: epochs run 1, 2, ... int.MaxValue, then wrap to 1 (0 and -1 are reserved).</summary>
    internal static int NextEpoch(int epoch) => epoch < 0 ? 0 : epoch == int.MaxValue ? 1 : epoch + 1;
}
