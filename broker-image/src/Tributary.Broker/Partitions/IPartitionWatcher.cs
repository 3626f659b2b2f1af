namespace Tributary.Broker.Partitions;

/// <summary>
/// A delayed operation (a long-polling fetch) waiting on a partition. The partition calls
/// <see cref="OnPartitionChanged"/> on the thread that moved its high watermark or changed its
/// leadership; implementations only re-check a condition and complete asynchronously.
/// </summary>
public interface IPartitionWatcher
{
    void OnPartitionChanged(Partition partition);
}
