using Microsoft.Extensions.Logging;
using Tributary.Broker.Metadata;
using Tributary.Broker.Partitions;
using Tributary.Storage;

namespace Tributary.Broker.Replication;

/// <summary>
/// Kafka's ReplicaFetcherManager: assigns each followed partition to a fetcher keyed by
/// (leader broker, fetcher index = hash(partition) mod <c>num.replica.fetchers</c>), moves it when
/// the leader changes, and stops fetchers left without partitions. Attach it to the replica
/// manager with <see cref="ReplicaManager.AttachFetchers"/>.
/// </summary>
public sealed class ReplicaFetcherManager : IReplicaFetcherControl, IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(int Leader, int Index), ReplicaFetcher> _fetchers = [];
    private readonly Dictionary<TopicPartition, (int Leader, int Index)> _assigned = [];
    private readonly ReplicaFetcherOptions _options;
    private readonly IMetadataView _metadata;
    private readonly ReplicationThrottle? _throttle;
    private readonly ILoggerFactory _loggers;
    private readonly List<Task> _stopping = [];
    private bool _disposed;

    public ReplicaFetcherManager(ReplicaFetcherOptions options, IMetadataView metadata, ILoggerFactory loggers, ReplicationThrottle? throttle = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(loggers);
        _options = options;
        _metadata = metadata;
        _loggers = loggers;
        _throttle = throttle;
    }

    /// <summary>Running fetchers (tests, metrics).</summary>
    public int FetcherCount
    {
        get
        {
            lock (_lock)
            {
                return _fetchers.Count;
            }
        }
    }

    /// <summary>The leader a partition is fetched from, or null when it is not being fetched.</summary>
    public int? FetchingFrom(TopicPartition partition)
    {
        lock (_lock)
        {
            return _assigned.TryGetValue(partition, out var key) ? key.Leader : null;
        }
    }

    public void Follow(IReadOnlyList<FollowTarget> partitions)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            foreach (var target in partitions)
            {
                var tp = target.Partition.TopicPartition;
                var key = (target.LeaderId, FetcherIndex(tp));
                if (_assigned.TryGetValue(tp, out var previous) && previous != key)
                {
                    _fetchers[previous].Remove(tp);
                }

                if (!_fetchers.TryGetValue(key, out var fetcher))
                {
                    fetcher = new ReplicaFetcher(key.LeaderId, key.Item2, _options, _metadata, _throttle, _loggers.CreateLogger<ReplicaFetcher>());
                    _fetchers[key] = fetcher;
                    fetcher.Start();
                }

                fetcher.Add(target);
                _assigned[tp] = key;
            }

            StopIdleLocked();
        }
    }

    public void Unfollow(IReadOnlyCollection<TopicPartition> partitions)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        lock (_lock)
        {
            foreach (var tp in partitions)
            {
                if (_assigned.Remove(tp, out var key) && _fetchers.TryGetValue(key, out var fetcher))
                {
                    fetcher.Remove(tp);
                }
            }

            StopIdleLocked();
        }
    }

    public async ValueTask DisposeAsync()
    {
        List<ReplicaFetcher> fetchers;
        Task[] stopping;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            fetchers = [.. _fetchers.Values];
            _fetchers.Clear();
            _assigned.Clear();
            stopping = [.. _stopping];
        }

        foreach (var fetcher in fetchers)
        {
            await fetcher.DisposeAsync().ConfigureAwait(false);
        }

        await Task.WhenAll(stopping).ConfigureAwait(false);
    }

    /// <summary>Kafka: abs(31 * topic.hashCode + partition) mod num.replica.fetchers (any stable hash spreads partitions).</summary>
    private int FetcherIndex(TopicPartition tp) =>
        _options.NumFetchers <= 1 ? 0 : (int)((uint)HashCode.Combine(tp.Topic, tp.Partition) % (uint)_options.NumFetchers);

    private void StopIdleLocked()
    {
        foreach (var (key, fetcher) in _fetchers.ToList())
        {
            if (fetcher.Count == 0)
            {
                _fetchers.Remove(key);
                _stopping.RemoveAll(t => t.IsCompleted);
                _stopping.Add(fetcher.DisposeAsync().AsTask());
            }
        }
    }
}
