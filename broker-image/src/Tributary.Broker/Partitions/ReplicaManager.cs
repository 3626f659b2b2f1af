using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Tributary.Broker.Metadata;
using Tributary.Protocol;
using Tributary.Protocol.Records;
using Tributary.Storage;

namespace Tributary.Broker.Partitions;

/// <summary>
/// Owns the partitions this broker hosts. Follows the metadata image: creates the logs of
/// partitions assigned to this node, applies leadership and ISR changes, applies topic config
/// changes to the logs, and deletes the logs of removed topics. Also how coordinators write and
/// read their internal topics (<see cref="IInternalTopicLog"/>).
/// </summary>
public sealed partial class ReplicaManager : IInternalTopicLog, IAsyncDisposable
{
    private const string MinInsyncReplicasKey = "min.insync.replicas";

    private readonly ReplicaManagerOptions _options;
    private readonly LogManager _logs;
    private readonly IMetadataView _metadata;
    private readonly Func<MetadataImage, string, LogConfig> _topicConfig;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<TopicPartition, Partition> _partitions = new();
    private readonly object _reconcileLock = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly PartitionReplicationSettings _replication;
    private Task? _background;
    private Task? _isrChecks;
    private IReplicaFetcherControl? _fetchers;
    private bool _disposed;

    /// <param name="options">Node id and producer-state settings.</param>
    /// <param name="logs">The started log manager (<see cref="LogManager.Startup"/> already ran).</param>
    /// <param name="metadata">Cluster metadata; the current image is applied at once, later ones as published.</param>
    /// <param name="topicConfig">Resolves a topic's effective log settings in an image (the TopicConfigResolver).</param>
    /// <param name="logger">Logger.</param>
    public ReplicaManager(ReplicaManagerOptions options, LogManager logs, IMetadataView metadata, Func<MetadataImage, string, LogConfig> topicConfig, ILogger<ReplicaManager> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logs);
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(topicConfig);
        ArgumentNullException.ThrowIfNull(logger);
        _options = options;
        _logs = logs;
        _metadata = metadata;
        _topicConfig = topicConfig;
        _logger = logger;
        _replication = new PartitionReplicationSettings
        {
            ReplicaLagTimeMaxMs = options.ReplicaLagTimeMaxMs,
            IsrSender = options.IsrSender,
            IsEligibleForIsr = id => _metadata.Current.IsLive(id),
            OnIsrShrink = options.OnIsrShrink,
            OnIsrExpand = options.OnIsrExpand,
            OnIsrChangeFailed = (proposal, error) => LogIsrChangeFailed(new TopicPartition(proposal.Topic, proposal.Partition), error),
        };
        _metadata.Changed += OnMetadataChanged;
        Reconcile(MetadataImage.Empty(metadata.Current.ClusterId), metadata.Current);
    }

    public int NodeId => _options.NodeId;

    /// <summary>Every hosted partition (leader or follower).</summary>
    public IReadOnlyCollection<Partition> Partitions => [.. _partitions.Values];

    public Partition? GetPartition(string topic, int partition) => _partitions.GetValueOrDefault(new TopicPartition(topic, partition));

    /// <summary>The topic's <c>min.insync.replicas</c>: topic override, then the cluster-wide dynamic value, then server.properties.</summary>
    public int MinInsyncReplicas(MetadataImage image, string topic)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (_options.MinInsyncReplicasResolver is { } resolve)
        {
            return resolve(image, topic);
        }

        if (image.Topic(topic)?.Configs.GetValueOrDefault(MinInsyncReplicasKey) is { } topicValue && TryParsePositive(topicValue, out var fromTopic))
        {
            return fromTopic;
        }

        if (image.BrokerConfigs.GetValueOrDefault(MinInsyncReplicasKey) is { } brokerValue && TryParsePositive(brokerValue, out var fromBroker))
        {
            return fromBroker;
        }

        return _options.DefaultMinInsyncReplicas;
    }

    /// <summary>Partitions this broker follows (hosts, but does not lead), with their leaders.</summary>
    public IReadOnlyList<FollowTarget> FollowedPartitions
    {
        get
        {
            var followed = new List<FollowTarget>();
            foreach (var partition in _partitions.Values)
            {
                if (FollowTargetFor(partition) is { } target)
                {
                    followed.Add(target);
                }
            }

            return followed;
        }
    }

    /// <summary>Starts the periodic producer-state snapshot and producer expiry, and (with an ISR sender) the ISR shrink check.</summary>
    public void Start()
    {
        lock (_reconcileLock)
        {
            _background ??= Task.Run(() => MaintenanceLoop(_stop.Token));
            if (_options.IsrSender is not null)
            {
                _isrChecks ??= Task.Run(() => IsrCheckLoop(_stop.Token));
            }
        }
    }

    /// <summary>
    /// Connects the replica fetchers: they are told about every partition followed now and, from
    /// then on, about each change the metadata brings.
    /// </summary>
    public void AttachFetchers(IReplicaFetcherControl fetchers)
    {
        ArgumentNullException.ThrowIfNull(fetchers);
        lock (_reconcileLock)
        {
            _fetchers = fetchers;
            fetchers.Follow(FollowedPartitions);
        }
    }

    /// <summary>Proposes ISR shrinks for every led partition with lagging followers (the periodic check, callable from tests).</summary>
    public int CheckIsrs()
    {
        var proposed = 0;
        foreach (var partition in _partitions.Values)
        {
            if (partition.MaybeShrinkIsr())
            {
                proposed++;
            }
        }

        return proposed;
    }

    /// <summary>Snapshots every partition's producer state that changed since its last snapshot.</summary>
    public int CheckpointProducerStates()
    {
        var written = 0;
        foreach (var partition in _partitions.Values)
        {
            try
            {
                if (partition.CheckpointProducerState())
                {
                    written++;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or StorageException)
            {
                LogSnapshotFailed(partition.TopicPartition, e);
            }
        }

        return written;
    }

    /// <summary>Stops maintenance and writes final producer snapshots; call before disposing the log manager.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (_reconcileLock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _metadata.Changed -= OnMetadataChanged;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        if (_background is { } background)
        {
            await background.ConfigureAwait(false);
        }

        if (_isrChecks is { } isrChecks)
        {
            await isrChecks.ConfigureAwait(false);
        }

        CheckpointProducerStates();
        foreach (var partition in _partitions.Values)
        {
            partition.Close();
        }

        _stop.Dispose();
    }

    /// <inheritdoc />
    public async ValueTask<(ErrorCode Error, long BaseOffset)> AppendAsync(string topic, int partition, ReadOnlyMemory<byte> batches, CancellationToken ct)
    {
        if (GetPartition(topic, partition) is not { } p)
        {
            return (_metadata.Current.Partition(topic, partition) is null ? ErrorCode.UnknownTopicOrPartition : ErrorCode.NotLeaderOrFollower, -1);
        }

        // The log assigns offsets in place; the caller's buffer stays untouched.
        var copy = batches.ToArray();
        for (var position = 0; position < copy.Length;)
        {
            var remaining = copy.AsSpan(position);
            if (remaining.Length < RecordBatchHeader.LogOverhead)
            {
                return (ErrorCode.CorruptMessage, -1);
            }

            var size = RecordBatchHeader.TotalSize(remaining);
            if (size <= RecordBatchHeader.LogOverhead || size > remaining.Length || !RecordBatchValidator.Validate(remaining[..size]).IsValid)
            {
                return (ErrorCode.CorruptMessage, -1);
            }

            position += size;
        }

        if (copy.Length == 0)
        {
            return (ErrorCode.InvalidRecord, -1);
        }

        var image = _metadata.Current;
        if (MinInsyncReplicas(image, topic) > p.Leadership.Isr.Count)
        {
            return (ErrorCode.NotEnoughReplicas, -1);
        }

        var result = p.AppendAsLeader(copy, checkSequences: false);
        if (result.Error != ErrorCode.None)
        {
            return (result.Error, -1);
        }

        var committed = await p.WaitForCommitAsync(result.LastOffset + 1, Timeout.InfiniteTimeSpan, ct).ConfigureAwait(false);
        return committed == ErrorCode.None ? (ErrorCode.None, result.BaseOffset) : (committed, -1);
    }

    /// <inheritdoc />
    public IEnumerable<ReadOnlyMemory<byte>> ReadCommitted(string topic, int partition, long fromOffset)
    {
        const int ChunkBytes = 1024 * 1024;
        if (GetPartition(topic, partition) is not { } p)
        {
            yield break;
        }

        var offset = Math.Max(fromOffset, p.LogStartOffset);
        while (true)
        {
            byte[] chunk;
            using (var read = p.Log.Read(offset, ChunkBytes, p.HighWatermark, minOneBatch: true))
            {
                if (read.Status != ReadStatus.Ok || read.Records.IsEmpty)
                {
                    yield break;
                }

                chunk = read.Records.ToArray();
            }

            offset = LastNextOffset(chunk);
            yield return chunk;
        }
    }

    private static long LastNextOffset(ReadOnlySpan<byte> batches)
    {
        long next = -1;
        for (var position = 0; position + RecordBatchHeader.Size <= batches.Length; position += RecordBatchHeader.TotalSize(batches[position..]))
        {
            next = RecordBatchHeader.LastOffset(batches[position..]) + 1;
        }

        return next;
    }

    private static bool TryParsePositive(string text, out int value) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value) && value > 0;

    private void OnMetadataChanged(MetadataImage previous, MetadataImage current)
    {
        try
        {
            Reconcile(previous, current);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or StorageException or InvalidOperationException)
        {
            // The publisher must not be torn down by one failing log; the next image retries.
            LogReconcileFailed(current.Offset, e);
        }
    }

    private void Reconcile(MetadataImage previous, MetadataImage current)
    {
        lock (_reconcileLock)
        {
            if (_disposed)
            {
                return;
            }

            var unfollow = RemoveGone(current);
            var follow = new List<FollowTarget>();
            var brokerConfigsChanged = !ReferenceEquals(previous.BrokerConfigs, current.BrokerConfigs);
            foreach (var (name, topic) in current.Topics)
            {
                var before = previous.Topic(name);
                if (ReferenceEquals(before, topic) && !brokerConfigsChanged)
                {
                    continue;
                }

                var configChanged = before is null || brokerConfigsChanged || !ReferenceEquals(before.Configs, topic.Configs);
                LogConfig? config = null;
                foreach (var image in topic.Partitions.Values)
                {
                    if (!image.Replicas.Contains(NodeId))
                    {
                        continue;
                    }

                    var tp = new TopicPartition(name, image.Partition);
                    var leadership = new PartitionLeadership(image.Leader, image.LeaderEpoch, image.PartitionEpoch, image.Replicas, image.Isr);
                    if (!_partitions.TryGetValue(tp, out var partition))
                    {
                        config ??= _topicConfig(current, name);
                        partition = Open(tp, topic.Id, config);
                        _partitions[tp] = partition;
                    }

                    partition.ApplyLeadership(leadership);
                    if (FollowTargetFor(partition) is { } target)
                    {
                        follow.Add(target);
                    }
                    else
                    {
                        unfollow.Add(tp);
                    }
                }

                if (configChanged && _partitions.Keys.Any(k => k.Topic == name))
                {
                    _logs.UpdateTopicConfig(name, config ?? _topicConfig(current, name));
                }
            }

            if (_fetchers is { } fetchers)
            {
                if (unfollow.Count > 0)
                {
                    fetchers.Unfollow(unfollow);
                }

                if (follow.Count > 0)
                {
                    fetchers.Follow(follow);
                }
            }
        }
    }

    /// <summary>A hosted partition led by another live broker: what its fetcher needs; null when led here or leaderless.</summary>
    private FollowTarget? FollowTargetFor(Partition partition)
    {
        var leadership = partition.Leadership;
        return partition.IsClosed || leadership.Leader == NodeId || leadership.Leader < 0 || !leadership.Replicas.Contains(NodeId)
            ? null
            : new FollowTarget(partition, leadership.Leader, leadership.LeaderEpoch);
    }

    /// <summary>Deletes local partitions whose topic was deleted (or recreated under a new id) or that moved off this node; returns them.</summary>
    private List<TopicPartition> RemoveGone(MetadataImage current)
    {
        var removed = new List<TopicPartition>();
        foreach (var (tp, partition) in _partitions)
        {
            var topic = current.Topic(tp.Topic);
            var gone = topic is null || topic.Id != partition.TopicId;
            var movedAway = !gone && (!topic!.Partitions.TryGetValue(tp.Partition, out var image) || !image.Replicas.Contains(NodeId));
            if (!gone && !movedAway)
            {
                continue;
            }

            _partitions.TryRemove(tp, out _);
            removed.Add(tp);
            partition.Close();
            LogDeletingPartition(tp, gone ? "its topic was deleted" : "it was reassigned");
            _ = _logs.DeleteLogAsync(tp);
        }

        return removed;
    }

    /// <summary>Opens (or creates) a partition's log and rebuilds its producer state.</summary>
    private Partition Open(TopicPartition tp, Guid topicId, LogConfig config)
    {
        var log = _logs.GetOrCreateLog(tp, config);
        var recorded = PartitionMetadataFile.Read(log.Directory);
        if (recorded is { } id && id != topicId && topicId != Guid.Empty)
        {
            // Left by an earlier topic of the same name that was deleted while we were down.
            LogDeletingPartition(tp, "its directory belongs to an older topic id");
            // The directory is renamed away at once; its files are removed in the background.
            _ = _logs.DeleteLogAsync(tp);
            log = _logs.GetOrCreateLog(tp, config);
            recorded = null;
        }

        if (recorded is null && topicId != Guid.Empty)
        {
            PartitionMetadataFile.Write(log.Directory, topicId);
        }

        log.Config = config;
        return new Partition(log, topicId, NodeId, ProducerStatePersistence.Load(log), _options.Time, _replication);
    }

    private async Task MaintenanceLoop(CancellationToken token)
    {
        using var timer = new PeriodicTimer(_options.ProducerStateCheckpointInterval, _options.Time);
        try
        {
            while (await timer.WaitForNextTickAsync(token).ConfigureAwait(false))
            {
                var now = _options.Time.GetUtcNow().ToUnixTimeMilliseconds();
                foreach (var partition in _partitions.Values)
                {
                    partition.RemoveExpiredProducers(now, _options.ProducerIdExpirationMs);
                }

                CheckpointProducerStates();
            }
        }
        catch (OperationCanceledException)
        {
            // Shutdown.
        }
    }

    /// <summary>Kafka checks for lagging followers every replica.lag.time.max.ms / 2.</summary>
    private async Task IsrCheckLoop(CancellationToken token)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(Math.Max(1, _options.ReplicaLagTimeMaxMs / 2)), _options.Time);
        try
        {
            while (await timer.WaitForNextTickAsync(token).ConfigureAwait(false))
            {
                CheckIsrs();
            }
        }
        catch (OperationCanceledException)
        {
            // Shutdown.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "ISR change of {Partition} failed: {Error}")]
    private partial void LogIsrChangeFailed(TopicPartition partition, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Producer state snapshot of {Partition} failed")]
    private partial void LogSnapshotFailed(TopicPartition partition, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Applying metadata image at offset {Offset} to local partitions failed")]
    private partial void LogReconcileFailed(long offset, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleting local log of {Partition}: {Reason}")]
    private partial void LogDeletingPartition(TopicPartition partition, string reason);
}
