using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Tributary.Broker.Groups;
using Tributary.Broker.Metadata;
using Tributary.Broker.Partitions;
using Tributary.Protocol;
using Tributary.Storage;

namespace Tributary.Broker.Coordination;

/// <summary>
/// Runs the classic group coordinator for the <c>__consumer_offsets</c> partitions this broker
/// leads: one <see cref="GroupCoordinator"/> per partition (loaded from the log when leadership
/// arrives, unloaded when it leaves, following <see cref="IMetadataView.Changed"/>), with calls
/// serialised per partition, records appended before responses are released, and timers driven
/// by <see cref="TimeProvider"/>. Request handlers call the async methods here.
/// </summary>
public sealed partial class GroupCoordinatorService : IAsyncDisposable
{
    /// <summary>The internal topic holding group metadata and committed offsets.</summary>
    public const string OffsetsTopic = "__consumer_offsets";

    private readonly GroupCoordinatorOptions _options;
    private readonly IMetadataView _metadata;
    private readonly IInternalTopicLog _log;
    private readonly TimeProvider _time;
    private readonly ILogger<GroupCoordinatorService> _logger;
    private readonly ConcurrentDictionary<int, CoordinatorShard> _shards = new();
    private readonly Lock _lock = new();
    private volatile int _partitionCount;
    private volatile bool _started;
    private volatile bool _stopped;

    public GroupCoordinatorService(
        GroupCoordinatorOptions options,
        IMetadataView metadata,
        IInternalTopicLog log,
        TimeProvider time,
        ILogger<GroupCoordinatorService> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _options = options;
        _metadata = metadata;
        _log = log;
        _time = time;
        _logger = logger;
        _partitionCount = options.Coordinator.OffsetsTopicPartitions;
    }

    /// <summary>
    /// Partitions of <c>__consumer_offsets</c> used to place groups: the topic's actual count once it
    /// exists, <c>offsets.topic.num.partitions</c> before (as Kafka does).
    /// </summary>
    public int PartitionCount => _partitionCount;

    /// <summary>The <c>__consumer_offsets</c> partition that holds <paramref name="groupId"/> (FindCoordinator uses its leader).</summary>
    public int PartitionFor(string groupId) => GroupPartitioner.PartitionFor(groupId, _partitionCount);

    /// <summary>Where this broker stands with one coordinator partition.</summary>
    public CoordinatorPartitionState StateOf(int partition) =>
        _shards.TryGetValue(partition, out var shard) ? shard.State : CoordinatorPartitionState.NotOwned;

    /// <summary>Completes when the partition's current load has finished (at once when not loading here).</summary>
    public Task WhenLoadedAsync(int partition) =>
        _shards.TryGetValue(partition, out var shard) ? shard.Loaded : Task.CompletedTask;

    /// <summary>Subscribes to metadata changes and loads the partitions this broker leads now.</summary>
    public void Start()
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_stopped, this);
            if (_started)
            {
                return;
            }

            _started = true;
            _metadata.Changed += OnMetadataChanged;
        }

        Reconcile();
    }

    /// <summary>Stops every partition: parked JoinGroup/SyncGroup callers get NOT_COORDINATOR.</summary>
    public async ValueTask DisposeAsync()
    {
        List<CoordinatorShard> shards;
        lock (_lock)
        {
            if (_stopped)
            {
                return;
            }

            _stopped = true;
            _metadata.Changed -= OnMetadataChanged;
            shards = [.. _shards.Values];
            _shards.Clear();
        }

        await Task.WhenAll(shards.Select(s => s.CloseAsync())).ConfigureAwait(false);
    }

    // ------------------------------------------------------------ leadership

    private void OnMetadataChanged(MetadataImage previous, MetadataImage current) => Reconcile();

    /// <summary>
    /// Brings the set of loaded partitions in line with the latest metadata: loads newly led
    /// partitions (and replaces shards closed by an append failure), closes the ones no longer
    /// led. Quick: loads run on the thread pool and closes are not awaited.
    /// </summary>
    private void Reconcile()
    {
        lock (_lock)
        {
            if (_stopped || !_started)
            {
                return;
            }

            // Always the latest image, so that racing notifications cannot apply an older one last.
            var topic = _metadata.Current.Topic(OffsetsTopic);
            if (topic is { Partitions.Count: > 0 })
            {
                _partitionCount = topic.Partitions.Count;
            }

            var led = new HashSet<int>();
            if (topic is not null)
            {
                foreach (var (index, partition) in topic.Partitions)
                {
                    if (partition.Leader == _options.NodeId)
                    {
                        led.Add(index);
                    }
                }
            }

            foreach (var (index, shard) in _shards)
            {
                if (!led.Contains(index) || shard.State == CoordinatorPartitionState.Closed)
                {
                    _shards.TryRemove(index, out _);
                    if (shard.State != CoordinatorPartitionState.Closed)
                    {
                        LogResigned(index);
                    }

                    _ = CloseQuietlyAsync(shard);
                }
            }

            foreach (var index in led)
            {
                if (!_shards.ContainsKey(index))
                {
                    var config = _options.Coordinator with { OffsetsTopicPartitions = _partitionCount };
                    var shard = new CoordinatorShard(index, config, _log, _time, _options, _logger, OnShardFailed);
                    _shards[index] = shard;
                    LogElected(index);
                    shard.StartLoad();
                }
            }
        }
    }

    private void OnShardFailed(CoordinatorShard shard) =>
        // Called under the failed shard's gate: reconcile elsewhere, it replaces the shard.
        _ = Task.Run(Reconcile);

    private async Task CloseQuietlyAsync(CoordinatorShard shard)
    {
        try
        {
            await shard.CloseAsync().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // fire-and-forget close: a failure is logged, the shard is gone either way
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogCloseFailed(ex, shard.Partition);
        }
    }

    /// <summary>
    /// The shard serving <paramref name="groupId"/>, or the error to answer: COORDINATOR_NOT_AVAILABLE
    /// while the service is not running, NOT_COORDINATOR when this broker does not lead its partition.
    /// </summary>
    private CoordinatorShard? Route(string groupId, out ErrorCode error)
    {
        if (!_started || _stopped)
        {
            error = ErrorCode.CoordinatorNotAvailable;
            return null;
        }

        if (_shards.TryGetValue(PartitionFor(groupId), out var shard))
        {
            error = ErrorCode.None;
            return shard;
        }

        error = ErrorCode.NotCoordinator;
        return null;
    }

    /// <summary>Kafka refuses an empty group id for membership APIs and OffsetDelete (not for commits, fetches, describe, delete).</summary>
    private static bool IsInvalidMembershipGroupId(string? groupId) => string.IsNullOrEmpty(groupId);

    // ------------------------------------------------------------ membership

    public ValueTask<JoinGroupResult> JoinGroupAsync(JoinGroupRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (IsInvalidMembershipGroupId(request.GroupId))
        {
            return ValueTask.FromResult(JoinGroupResult.Failure(request.MemberId, ErrorCode.InvalidGroupId));
        }

        var shard = Route(request.GroupId, out var error);
        return shard is null
            ? ValueTask.FromResult(JoinGroupResult.Failure(request.MemberId, error))
            : shard.JoinAsync(request, ct);
    }

    public ValueTask<SyncGroupResult> SyncGroupAsync(SyncGroupRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (IsInvalidMembershipGroupId(request.GroupId))
        {
            return ValueTask.FromResult(SyncGroupResult.Failure(ErrorCode.InvalidGroupId));
        }

        var shard = Route(request.GroupId, out var error);
        return shard is null ? ValueTask.FromResult(SyncGroupResult.Failure(error)) : shard.SyncAsync(request, ct);
    }

    public ValueTask<ErrorCode> HeartbeatAsync(HeartbeatRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (IsInvalidMembershipGroupId(request.GroupId))
        {
            return ValueTask.FromResult(ErrorCode.InvalidGroupId);
        }

        var shard = Route(request.GroupId, out var error);
        return shard is null
            ? ValueTask.FromResult(error)
            : shard.ExecuteAsync(core => core.Heartbeat(request), static e => e, CallKind.ReadOnly, ct);
    }

    public ValueTask<LeaveGroupResult> LeaveGroupAsync(string groupId, IReadOnlyList<MemberIdentity> members, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(members);
        if (IsInvalidMembershipGroupId(groupId))
        {
            return ValueTask.FromResult(new LeaveGroupResult(ErrorCode.InvalidGroupId, []));
        }

        var shard = Route(groupId, out var error);
        return shard is null
            ? ValueTask.FromResult(new LeaveGroupResult(error, []))
            : shard.ExecuteAsync(core => core.LeaveGroup(groupId, members), static e => new LeaveGroupResult(e, []), CallKind.Write, ct);
    }

    // ------------------------------------------------------------ offsets

    /// <summary>
    /// Commits offsets; the result is returned only once the commit is durable in
    /// <c>__consumer_offsets</c> (or carries the mapped append error for every partition).
    /// The caller has already answered partitions of unknown topics.
    /// </summary>
    public ValueTask<IReadOnlyList<PartitionResult>> CommitOffsetsAsync(OffsetCommitRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var shard = Route(request.GroupId, out var error);
        if (shard is null)
        {
            return ValueTask.FromResult(AllPartitions(request.Offsets, error));
        }

        return shard.ExecuteAsync(core => core.CommitOffsets(request), e => AllPartitions(request.Offsets, e), CallKind.OffsetCommit, ct);
    }

    private static IReadOnlyList<PartitionResult> AllPartitions(IReadOnlyList<OffsetCommitEntry> offsets, ErrorCode error) =>
        offsets.Select(o => new PartitionResult(o.Topic, o.Partition, error)).ToList();

    /// <summary>
    /// Fetches committed offsets (all of the group's when <paramref name="partitions"/> is null).
    /// Every commit is durable before any later call sees it (calls are serialised behind appends)
    /// and there are no transactional offsets yet, so <c>requireStable</c> needs no waiting.
    /// </summary>
    public ValueTask<OffsetFetchResult> FetchOffsetsAsync(string groupId, IReadOnlyList<TopicPartition>? partitions, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(groupId);
        var shard = Route(groupId, out var error);
        return shard is null
            ? ValueTask.FromResult(new OffsetFetchResult(error, []))
            : shard.ExecuteAsync(
                core => new GroupResult<OffsetFetchResult>(core.FetchOffsets(groupId, partitions), new GroupActions()),
                static e => new OffsetFetchResult(e, []),
                CallKind.ReadOnly,
                ct);
    }

    public ValueTask<OffsetDeleteResult> DeleteOffsetsAsync(string groupId, IReadOnlyList<TopicPartition> partitions, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        if (IsInvalidMembershipGroupId(groupId))
        {
            return ValueTask.FromResult(new OffsetDeleteResult(ErrorCode.InvalidGroupId, []));
        }

        var shard = Route(groupId, out var error);
        return shard is null
            ? ValueTask.FromResult(new OffsetDeleteResult(error, []))
            : shard.ExecuteAsync(core => core.DeleteOffsets(groupId, partitions), static e => new OffsetDeleteResult(e, []), CallKind.Write, ct);
    }

    // ------------------------------------------------------------ admin

    /// <summary>
    /// Lists the groups of every partition loaded here; COORDINATOR_LOAD_IN_PROGRESS (with the
    /// groups found so far) while any partition is still loading.
    /// </summary>
    public async ValueTask<ListGroupsResult> ListGroupsAsync(IReadOnlyCollection<GroupState>? statesFilter, CancellationToken ct)
    {
        if (!_started || _stopped)
        {
            return new ListGroupsResult(ErrorCode.CoordinatorNotAvailable, []);
        }

        var error = ErrorCode.None;
        var groups = new List<ListedGroup>();
        foreach (var shard in _shards.Values.OrderBy(s => s.Partition))
        {
            var result = await shard.ExecuteAsync(
                core => core.ListGroups(statesFilter),
                static e => new ListGroupsResult(e, []),
                CallKind.ReadOnly,
                ct).ConfigureAwait(false);
            if (result.Error == ErrorCode.CoordinatorLoadInProgress)
            {
                error = ErrorCode.CoordinatorLoadInProgress;
            }

            // A shard that closed meanwhile (NOT_COORDINATOR) simply has no groups here any more.
            groups.AddRange(result.Groups);
        }

        groups.Sort((a, b) => string.CompareOrdinal(a.GroupId, b.GroupId));
        return new ListGroupsResult(error, groups);
    }

    public ValueTask<DescribedGroup> DescribeGroupAsync(string groupId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(groupId);
        var shard = Route(groupId, out var error);
        return shard is null
            ? ValueTask.FromResult(Undescribed(groupId, error))
            : shard.ExecuteAsync(
                core => core.DescribeGroup(groupId),
                e => Undescribed(groupId, e),
                CallKind.ReadOnly,
                ct);
    }

    private static DescribedGroup Undescribed(string groupId, ErrorCode error) =>
        new(groupId, error, GroupState.Dead, string.Empty, string.Empty, []);

    /// <summary>Deletes empty groups (tombstones for their offsets and metadata); results in request order.</summary>
    public async ValueTask<IReadOnlyList<DeleteGroupResult>> DeleteGroupsAsync(IReadOnlyList<string> groupIds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(groupIds);
        var results = new Dictionary<string, DeleteGroupResult>(StringComparer.Ordinal);
        var byShard = new Dictionary<CoordinatorShard, List<string>>();
        foreach (var groupId in groupIds.Distinct(StringComparer.Ordinal))
        {
            var shard = Route(groupId, out var error);
            if (shard is null)
            {
                results[groupId] = new DeleteGroupResult(groupId, error);
            }
            else if (byShard.TryGetValue(shard, out var list))
            {
                list.Add(groupId);
            }
            else
            {
                byShard[shard] = [groupId];
            }
        }

        foreach (var (shard, ids) in byShard)
        {
            var deleted = await shard.ExecuteAsync(
                core => core.DeleteGroups(ids),
                e => ids.Select(id => new DeleteGroupResult(id, e)).ToList(),
                CallKind.Write,
                ct).ConfigureAwait(false);
            foreach (var result in deleted)
            {
                results[result.GroupId] = result;
            }
        }

        return groupIds.Select(id => results[id]).ToList();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Became leader of __consumer_offsets-{Partition}; loading its groups")]
    private partial void LogElected(int partition);

    [LoggerMessage(Level = LogLevel.Information, Message = "No longer leader of __consumer_offsets-{Partition}; unloading its groups")]
    private partial void LogResigned(int partition);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Closing the coordinator of __consumer_offsets-{Partition} failed")]
    private partial void LogCloseFailed(Exception ex, int partition);
}
