using Tributary.Broker.FetchSessions;
using Tributary.Broker.Partitions;

namespace Tributary.Broker.Handlers.Data;

/// <summary>
/// A fetch waiting for <c>min_bytes</c>: registered on each partition it reads, it completes when
/// the bytes committed (for a follower: appended) since its first read (plus what that read found, each capped at the
/// partition's max bytes) reach <c>min_bytes</c>, when a partition stops being led here or its log
/// start passes the fetch offset (the re-read reports the error), or when it expires. Completion
/// only signals; the handler re-reads and answers on a pool thread, never on the appender's.
/// </summary>
internal sealed class DelayedFetch : IPartitionWatcher
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly IReadOnlyList<FetchTarget> _targets;
    private readonly PartitionRead[] _reads;
    private readonly int _minBytes;
    private readonly bool _fromFollower;

    public DelayedFetch(IReadOnlyList<FetchTarget> targets, PartitionRead[] reads, int minBytes, bool fromFollower)
    {
        _targets = targets;
        _reads = reads;
        _minBytes = minBytes;
        _fromFollower = fromFollower;
    }

    public Task Task => _done.Task;

    public void OnPartitionChanged(Partition partition) => TryComplete();

    /// <summary>Completes the wait when its condition holds; true when completed.</summary>
    public bool TryComplete()
    {
        if (_done.Task.IsCompleted)
        {
            return true;
        }

        long available = 0;
        for (var i = 0; i < _reads.Length; i++)
        {
            if (_reads[i].Partition is not { } partition)
            {
                continue;
            }

            if (!partition.IsLeader || _targets[i].FetchOffset < partition.LogStartOffset ||
                (_targets[i].CurrentLeaderEpoch >= 0 && _targets[i].CurrentLeaderEpoch != partition.LeaderEpoch))
            {
                _done.TrySetResult();
                return true;
            }

            var grown = (_fromFollower ? partition.AppendedBytes : partition.CommittedBytes) - _reads[i].CommittedBytesBefore;
            available += Math.Min(_targets[i].MaxBytes, _reads[i].Records.Length + grown);
        }

        if (available >= _minBytes)
        {
            _done.TrySetResult();
            return true;
        }

        return false;
    }

    /// <summary>max_wait_ms passed: answer with whatever is there.</summary>
    public void Expire() => _done.TrySetResult();
}
