using Tributary.Broker.Metadata;
using Tributary.Broker.Partitions;

namespace Tributary.Broker.Metrics;

/// <summary>
/// Keeps the state gauges of <see cref="BrokerMetrics"/> current: partition and leader counts,
/// under-replicated / under-min-ISR / offline partitions and the active-controller flag on every
/// metadata change, and per-partition log sizes on a short timer (sizes change with every append,
/// so they are sampled rather than pushed from the hot path).
/// </summary>
public sealed class BrokerStateMetrics : IDisposable
{
    private readonly BrokerMetrics _metrics;
    private readonly IMetadataView _metadata;
    private readonly ReplicaManager _replicas;
    private readonly int _nodeId;
    private readonly Func<MetadataImage, string, int> _minInsyncReplicas;
    private readonly ITimer _timer;
    private readonly Lock _gate = new();
    private HashSet<(string Topic, string Partition)> _sized = [];

    public BrokerStateMetrics(BrokerMetrics metrics, IMetadataView metadata, ReplicaManager replicas, int nodeId,
        Func<MetadataImage, string, int> minInsyncReplicas, TimeProvider time, TimeSpan? sampleInterval = null)
    {
        _metrics = metrics;
        _metadata = metadata;
        _replicas = replicas;
        _nodeId = nodeId;
        _minInsyncReplicas = minInsyncReplicas;
        _metadata.Changed += OnChanged;
        OnChanged(metadata.Current, metadata.Current);
        var interval = sampleInterval ?? TimeSpan.FromSeconds(10);
        _timer = time.CreateTimer(_ => SampleLogSizes(), null, TimeSpan.Zero, interval);
    }

    private void OnChanged(MetadataImage previous, MetadataImage current)
    {
        var counts = PartitionCounts.Compute(current, _nodeId, _minInsyncReplicas);
        _metrics.PartitionCount.Set(counts.Partitions);
        _metrics.LeaderCount.Set(counts.Leaders);
        _metrics.UnderReplicatedPartitions.Set(counts.UnderReplicated);
        _metrics.UnderMinIsrPartitions.Set(counts.UnderMinIsr);
        _metrics.OfflinePartitions.Set(current.ControllerId == _nodeId ? counts.Offline : 0);
        _metrics.ActiveController.Set(current.ControllerId == _nodeId ? 1 : 0);
    }

    /// <summary>Samples every local log's size; drops the series of partitions that went away.</summary>
    public void SampleLogSizes()
    {
        lock (_gate)
        {
            var now = new HashSet<(string Topic, string Partition)>();
            foreach (var partition in _replicas.Partitions)
            {
                if (partition.IsClosed)
                {
                    continue;
                }

                var key = (partition.TopicPartition.Topic, partition.TopicPartition.Partition.ToString(System.Globalization.CultureInfo.InvariantCulture));
                now.Add(key);
                _metrics.LogSize.WithLabels(key.Topic, key.Item2).Set(partition.Log.Size);
            }

            foreach (var gone in _sized.Except(now))
            {
                _metrics.LogSize.RemoveLabels(gone.Topic, gone.Partition);
            }

            _sized = now;
        }
    }

    public void Dispose()
    {
        _metadata.Changed -= OnChanged;
        _timer.Dispose();
    }
}
