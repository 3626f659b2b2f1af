using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Tributary.Broker.FetchSessions;
using Tributary.Broker.Metadata;
using Tributary.Broker.Metrics;
using Tributary.Broker.Network;
using Tributary.Broker.Partitions;
using Tributary.Broker.Quorum;
using Tributary.Broker.Replication;
using Tributary.Broker.Requests;
using Tributary.Broker.Security;
using Tributary.Protocol;
using Tributary.Protocol.Acls;
using Tributary.Protocol.Messages;
using Tributary.Storage;
using static Tributary.Protocol.Messages.FetchResponse;

namespace Tributary.Broker.Handlers.Data;

/// <summary>
/// Fetch for consumers and, through the same path, followers: resolves the request against its
/// fetch session, reads whole batches up to the high watermark (read_committed: the last stable
/// offset; a follower: the log end), and long-polls without holding a thread until
/// <c>min_bytes</c> are available or <c>max_wait_ms</c> passes. A follower's fetch (replica id
/// set) is checked against the leader epoch, answered with a diverging epoch when its log
/// diverges (KIP-595), and reports its position to the partition (high watermark, ISR).
/// Fetches of the metadata log go to the quorum.
/// </summary>
/// <remarks>
/// Versions 4-16: v0-3 consumers expect message format v0/v1, which this broker never stores
/// (Kafka 4.0 also dropped them); v13+ names topics by id. Size limits follow KIP-74: the
/// response stops adding data at <c>max_bytes</c> (capped by the broker's <c>fetch.max.bytes</c>),
/// each partition at its own max bytes, but the first batch found is returned whole even when
/// larger, so a consumer can always make progress.
/// </remarks>
public sealed class FetchHandler : RequestHandler<FetchRequest, FetchResponse>
{
    /// <summary>Kafka's <c>fetch.max.bytes</c> default (55 MiB).</summary>
    public const int DefaultFetchMaxBytes = 55 * 1024 * 1024;

    private const sbyte ReadCommitted = 1;
    private const int FirstTopicIdVersion = 13;

    private readonly ReplicaManager _replicas;
    private readonly IMetadataView _metadata;
    private readonly FetchSessionCache _sessions;
    private readonly BrokerMetrics _metrics;
    private readonly int _fetchMaxBytes;
    private readonly TimeProvider _time;
    private readonly ICounter _bytesOut;
    private readonly ICounter _failed;
    private readonly IQuorumFetchHandler? _quorum;
    private readonly ReplicationThrottle? _throttle;
    private readonly RequestAuthorizer _authorizer;

    // Quorum responses carry records that are not pooled buffers: they must not be returned to the pool.
    private readonly ConditionalWeakTable<FetchResponse, object> _quorumResponses = [];

    /// <param name="replicas">The replica manager.</param>
    /// <param name="metadata">Cluster metadata.</param>
    /// <param name="sessions">Incremental fetch sessions.</param>
    /// <param name="metrics">Broker metrics.</param>
    /// <param name="fetchMaxBytes">The broker's <c>fetch.max.bytes</c>.</param>
    /// <param name="time">Clock.</param>
    /// <param name="quorum">Answers fetches of the metadata log (null: none are served here).</param>
    /// <param name="throttle">Reassignment throttle for reads by followers (null: unthrottled).</param>
    /// <param name="authorizer">ACL checks (null: none): consumers need READ on each topic, followers and quorum replicas CLUSTER_ACTION.</param>
    public FetchHandler(ReplicaManager replicas, IMetadataView metadata, FetchSessionCache sessions, BrokerMetrics metrics, int fetchMaxBytes = DefaultFetchMaxBytes,
        TimeProvider? time = null, IQuorumFetchHandler? quorum = null, ReplicationThrottle? throttle = null, RequestAuthorizer? authorizer = null)
        : base(ApiKey.Fetch, 4, 16)
    {
        ArgumentNullException.ThrowIfNull(replicas);
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(sessions);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fetchMaxBytes);
        _replicas = replicas;
        _metadata = metadata;
        _sessions = sessions;
        _metrics = metrics;
        _fetchMaxBytes = fetchMaxBytes;
        _time = time ?? TimeProvider.System;
        _bytesOut = metrics.BytesOut.WithLabels();
        _failed = metrics.FailedFetchRequests.WithLabels();
        _quorum = quorum;
        _throttle = throttle;
        _authorizer = authorizer ?? RequestAuthorizer.Disabled;
    }

    protected override async ValueTask<FetchResponse?> HandleAsync(RequestContext context, RequestHeader header, FetchRequest request, CancellationToken ct)
    {
        var version = header.RequestApiVersion;
        if (_quorum is { } quorum && quorum.IsQuorumFetch(request))
        {
            if (!_authorizer.AuthorizeCluster(context, AclOperation.ClusterAction))
            {
                return new FetchResponse { ErrorCode = (short)ErrorCode.ClusterAuthorizationFailed };
            }

            var answer = await quorum.HandleAsync(request, version, ct).ConfigureAwait(false);
            _quorumResponses.AddOrUpdate(answer, answer);
            return answer;
        }

        var usesTopicIds = version >= FirstTopicIdVersion;
        var (requested, forgotten) = ParseTargets(request, usesTopicIds);
        var fetch = _sessions.NewContext(request.SessionId, request.SessionEpoch, usesTopicIds, requested, forgotten);
        if (fetch.Kind == FetchContextKind.Error)
        {
            return new FetchResponse { ErrorCode = (short)fetch.Error, SessionId = 0 };
        }

        var replicaId = version >= 15 ? request.ReplicaState.ReplicaId : request.ReplicaId;
        var replicaEpoch = version >= 15 ? request.ReplicaState.ReplicaEpoch : -1;
        var targets = fetch.Targets;
        var options = new ReadOptions(usesTopicIds, request.IsolationLevel == ReadCommitted, replicaId >= 0 ? replicaId : -1, replicaEpoch, Math.Min(request.MaxBytes, _fetchMaxBytes),
            Unauthorized(context, targets, replicaId >= 0, _metadata.Current));
        var reads = ReadAll(_metadata.Current, targets, options);
        if (request.MaxWaitMs > 0 && targets.Count > 0 && !reads.Any(r => r.Error != ErrorCode.None || r.Diverging is not null) && reads.Sum(r => (long)r.Records.Length) < request.MinBytes)
        {
            await WaitForDataAsync(targets, reads, request.MinBytes, request.MaxWaitMs, options.ReplicaId >= 0, ct).ConfigureAwait(false);
            Release(reads);
            reads = ReadAll(_metadata.Current, targets, options);
        }

        return BuildResponse(fetch, targets, reads, options, _metadata.Current);
    }

    private static (List<FetchTarget> Requested, List<FetchPartitionKey> Forgotten) ParseTargets(FetchRequest request, bool usesTopicIds)
    {
        var requested = new List<FetchTarget>();
        foreach (var topic in request.Topics)
        {
            foreach (var p in topic.Partitions)
            {
                requested.Add(new FetchTarget(SessionKey(usesTopicIds, topic.TopicId, topic.Topic, p.Partition), p.FetchOffset, p.PartitionMaxBytes, p.CurrentLeaderEpoch, p.LastFetchedEpoch));
            }
        }

        var forgotten = new List<FetchPartitionKey>();
        foreach (var topic in request.ForgottenTopicsData)
        {
            foreach (var partition in topic.Partitions)
            {
                forgotten.Add(SessionKey(usesTopicIds, topic.TopicId, topic.Topic, partition));
            }
        }

        return (requested, forgotten);
    }

    /// <summary>Sessions of v13+ know topics by id only (names resolve per read, a topic may be renamed by recreation).</summary>
    private static FetchPartitionKey SessionKey(bool usesTopicIds, Guid topicId, string topic, int partition) =>
        usesTopicIds ? new FetchPartitionKey(topicId, string.Empty, partition) : new FetchPartitionKey(Guid.Empty, topic, partition);

    private async Task WaitForDataAsync(IReadOnlyList<FetchTarget> targets, PartitionRead[] reads, int minBytes, int maxWaitMs, bool fromFollower, CancellationToken ct)
    {
        var waiting = new DelayedFetch(targets, reads, minBytes, fromFollower);
        foreach (var read in reads)
        {
            read.Partition?.AddWatcher(waiting);
        }

        try
        {
            // Data may have arrived between the read and the registration.
            if (!waiting.TryComplete())
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(maxWaitMs), _time);
                await using var expiry = timeout.Token.Register(static s => ((DelayedFetch)s!).Expire(), waiting).ConfigureAwait(false);
                await waiting.Task.WaitAsync(ct).ConfigureAwait(false);
            }
        }
        finally
        {
            foreach (var read in reads)
            {
                read.Partition?.RemoveWatcher(waiting);
            }
        }
    }

    private PartitionRead[] ReadAll(MetadataImage image, IReadOnlyList<FetchTarget> targets, ReadOptions options)
    {
        var reads = new PartitionRead[targets.Count];
        var remaining = options.MaxBytes;
        var minOneBatch = true;
        for (var i = 0; i < targets.Count; i++)
        {
            reads[i] = ReadOne(image, targets[i], options, Math.Min(targets[i].MaxBytes, remaining), minOneBatch);
            if (!reads[i].Records.IsEmpty)
            {
                remaining = Math.Max(0, remaining - reads[i].Records.Length);
                minOneBatch = false;
            }
        }

        return reads;
    }

    /// <summary>
    /// The partitions this client may not read, or null when it may read them all (always without an
    /// authorizer): a consumer needs READ on each topic, a follower CLUSTER_ACTION on the cluster.
    /// Unknown topic ids are left to the read, which answers UNKNOWN_TOPIC_ID as Kafka does first.
    /// </summary>
    private HashSet<FetchPartitionKey>? Unauthorized(in RequestContext context, IReadOnlyList<FetchTarget> targets, bool fromFollower, MetadataImage image)
    {
        if (!_authorizer.Enabled || targets.Count == 0)
        {
            return null;
        }

        HashSet<FetchPartitionKey>? denied = null;
        if (fromFollower)
        {
            return _authorizer.AuthorizeCluster(context, AclOperation.ClusterAction) ? null : [.. targets.Select(t => t.Key)];
        }

        string? lastTopic = null;
        var lastAllowed = true;
        foreach (var target in targets)
        {
            var topic = target.Key.TopicId != Guid.Empty ? image.TopicNamesById.GetValueOrDefault(target.Key.TopicId) : target.Key.Topic;
            if (topic is null)
            {
                continue;
            }

            // Partitions of a topic arrive together: one check per topic.
            if (!string.Equals(topic, lastTopic, StringComparison.Ordinal))
            {
                lastTopic = topic;
                lastAllowed = _authorizer.AuthorizeTopic(context, AclOperation.Read, topic);
            }

            if (!lastAllowed)
            {
                (denied ??= []).Add(target.Key);
            }
        }

        return denied;
    }

    private PartitionRead ReadOne(MetadataImage image, FetchTarget target, ReadOptions options, int maxBytes, bool minOneBatch)
    {
        if (options.Denied is { } denied && denied.Contains(target.Key))
        {
            return PartitionRead.Failed(ErrorCode.TopicAuthorizationFailed);
        }

        var topic = options.UsesTopicIds ? image.Topic(target.Key.TopicId) : image.Topic(target.Key.Topic);
        if (topic is null)
        {
            return PartitionRead.Failed(options.UsesTopicIds ? ErrorCode.UnknownTopicId : ErrorCode.UnknownTopicOrPartition);
        }

        if (!topic.Partitions.ContainsKey(target.Key.Partition))
        {
            return PartitionRead.Failed(ErrorCode.UnknownTopicOrPartition);
        }

        var partition = _replicas.GetPartition(topic.Name, target.Key.Partition);
        if (partition is null || !partition.IsLeader)
        {
            return PartitionRead.Failed(ErrorCode.NotLeaderOrFollower);
        }

        if (target.CurrentLeaderEpoch >= 0 && target.CurrentLeaderEpoch != partition.LeaderEpoch)
        {
            return PartitionRead.Failed(target.CurrentLeaderEpoch < partition.LeaderEpoch ? ErrorCode.FencedLeaderEpoch : ErrorCode.UnknownLeaderEpoch);
        }

        if (options.ReplicaId >= 0)
        {
            return ReadForFollower(topic.Name, partition, target, options, maxBytes, minOneBatch);
        }

        var committedBefore = partition.CommittedBytes;
        var hw = partition.HighWatermark;
        var lso = partition.LastStableOffset;
        var maxOffset = options.ReadCommitted ? lso : hw;
        using var read = partition.Log.Read(target.FetchOffset, Math.Max(0, maxBytes), maxOffset, minOneBatch);
        if (read.Status == ReadStatus.OffsetOutOfRange)
        {
            return PartitionRead.Failed(ErrorCode.OffsetOutOfRange, partition) with { HighWatermark = hw, LastStableOffset = lso, LogStartOffset = read.LogStartOffset };
        }

        // The response takes the pooled read buffer itself; ResponseSerialized returns it to the pool.
        return new PartitionRead(partition, ErrorCode.None, hw, lso, read.LogStartOffset, read.TakeRecords(), committedBefore);
    }

    /// <summary>
    /// A follower's read: its log must not diverge from ours (else it is told where to truncate
    /// and nothing is read), its position is recorded before reading (so the high watermark it
    /// gets back already counts this fetch), and it reads up to the log end.
    /// </summary>
    private PartitionRead ReadForFollower(string topic, Partition partition, FetchTarget target, ReadOptions options, int maxBytes, bool minOneBatch)
    {
        if (!partition.Leadership.Replicas.Contains(options.ReplicaId))
        {
            return PartitionRead.Failed(ErrorCode.NotLeaderOrFollower);
        }

        var appendedBefore = partition.AppendedBytes;
        if (partition.FindDivergence(target.LastFetchedEpoch, target.FetchOffset) is { } diverging)
        {
            return new PartitionRead(partition, ErrorCode.None, partition.HighWatermark, partition.LastStableOffset, partition.LogStartOffset,
                ReadOnlyMemory<byte>.Empty, appendedBefore, diverging);
        }

        var logEnd = partition.LogEndOffset;
        if (target.FetchOffset < partition.LogStartOffset || target.FetchOffset > logEnd)
        {
            return PartitionRead.Failed(ErrorCode.OffsetOutOfRange, partition) with
            {
                HighWatermark = partition.HighWatermark, LastStableOffset = partition.LastStableOffset, LogStartOffset = partition.LogStartOffset,
            };
        }

        partition.UpdateFollowerFetchState(options.ReplicaId, target.FetchOffset, logEnd, options.ReplicaEpoch);
        if (_throttle is { } throttle && throttle.IsLeaderThrottled(topic, partition.TopicPartition.Partition, options.ReplicaId) && !throttle.TryAcquireLeader())
        {
            // Over the reassignment quota: this partition sends nothing this round (Kafka does the same).
            return new PartitionRead(partition, ErrorCode.None, partition.HighWatermark, partition.LastStableOffset, partition.LogStartOffset, ReadOnlyMemory<byte>.Empty, appendedBefore);
        }

        var hw = partition.HighWatermark;
        var lso = partition.LastStableOffset;
        using var read = partition.Log.Read(target.FetchOffset, Math.Max(0, maxBytes), long.MaxValue, minOneBatch);
        if (read.Status == ReadStatus.OffsetOutOfRange)
        {
            return PartitionRead.Failed(ErrorCode.OffsetOutOfRange, partition) with { HighWatermark = hw, LastStableOffset = lso, LogStartOffset = read.LogStartOffset };
        }

        var records = read.TakeRecords();
        if (_throttle is { } t && !records.IsEmpty && t.IsLeaderThrottled(topic, partition.TopicPartition.Partition, options.ReplicaId))
        {
            t.RecordLeaderBytes(records.Length);
        }

        return new PartitionRead(partition, ErrorCode.None, hw, lso, read.LogStartOffset, records, appendedBefore);
    }

    /// <summary>Returns the pooled record buffers of a response once it is written (or, when gathered, sent): a fetch response references nothing else pooled.</summary>
    protected override void ResponseSerialized(FetchResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (_quorumResponses.Remove(response))
        {
            return;
        }

        foreach (var topic in response.Responses)
        {
            foreach (var partition in topic.Partitions)
            {
                ReturnToPool(partition.Records);
                partition.Records = null;
            }
        }
    }

    /// <summary>
    /// Large record reads go to the socket from the buffers they were read into (the frame
    /// gathers them), so <see cref="ResponseSerialized"/> runs once the response is sent.
    /// </summary>
    protected override int GatheredRecordsBytes(FetchResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var bytes = 0;
        foreach (var topic in response.Responses)
        {
            foreach (var partition in topic.Partitions)
            {
                if (ResponseFrame.Gathers(partition.Records))
                {
                    bytes += partition.Records!.Value.Length;
                }
            }
        }

        return bytes;
    }

    /// <summary>Returns the buffers of reads that are not answered (a long poll re-reads after waiting).</summary>
    private static void Release(PartitionRead[] reads)
    {
        foreach (var read in reads)
        {
            ReturnToPool(read.Records);
        }
    }

    private static void ReturnToPool(ReadOnlyMemory<byte>? records)
    {
        if (records is { IsEmpty: false } memory && MemoryMarshal.TryGetArray(memory, out var segment) && segment.Array is { } array)
        {
            ArrayPool<byte>.Shared.Return(array);
        }
    }

    private FetchResponse BuildResponse(FetchContext fetch, IReadOnlyList<FetchTarget> targets, PartitionRead[] reads, ReadOptions options, MetadataImage image)
    {
        var states = new FetchedPartitionState[reads.Length];
        for (var i = 0; i < reads.Length; i++)
        {
            states[i] = new FetchedPartitionState(reads[i].Error, reads[i].HighWatermark, reads[i].LastStableOffset, reads[i].LogStartOffset,
                !reads[i].Records.IsEmpty, reads[i].Diverging is not null);
        }

        var include = new bool[reads.Length];
        var response = new FetchResponse { SessionId = fetch.Complete(states, include) };
        FetchableTopicResponse? current = null;
        for (var i = 0; i < reads.Length; i++)
        {
            if (!include[i])
            {
                continue;
            }

            var key = targets[i].Key;
            if (current is null || current.TopicId != key.TopicId || !string.Equals(current.Topic, key.Topic, StringComparison.Ordinal))
            {
                current = new FetchableTopicResponse { Topic = key.Topic, TopicId = key.TopicId };
                response.Responses.Add(current);
            }

            var read = reads[i];
            var data = new PartitionData
            {
                PartitionIndex = key.Partition,
                ErrorCode = (short)read.Error,
                HighWatermark = read.HighWatermark,
                LastStableOffset = read.LastStableOffset,
                LogStartOffset = read.LogStartOffset,
                AbortedTransactions = options.ReadCommitted ? [] : null,
                PreferredReadReplica = -1,
                Records = read.Records,
            };
            if (read.Diverging is { } diverging)
            {
                data.DivergingEpoch = new EpochEndOffset { Epoch = diverging.Epoch, EndOffset = diverging.EndOffset };
            }

            if (read.Error == ErrorCode.NotLeaderOrFollower || read.Error == ErrorCode.FencedLeaderEpoch)
            {
                var name = options.UsesTopicIds ? image.TopicNamesById.GetValueOrDefault(key.TopicId) : key.Topic;
                if (name is not null && image.Partition(name, key.Partition) is { } leader)
                {
                    data.CurrentLeader = new LeaderIdAndEpoch { LeaderId = leader.Leader, LeaderEpoch = leader.LeaderEpoch };
                }
            }

            current.Partitions.Add(data);
            CountBytes(read);
        }

        return response;
    }

    private void CountBytes(PartitionRead read)
    {
        if (read.Error != ErrorCode.None)
        {
            _failed.Inc();
            return;
        }

        if (!read.Records.IsEmpty && read.Partition is { } partition)
        {
            _bytesOut.Inc(read.Records.Length);
            _metrics.TopicBytesOut.WithLabels(partition.TopicPartition.Topic).Inc(read.Records.Length);
        }
    }

    /// <summary>Request-wide read settings.</summary>
    private readonly record struct ReadOptions(bool UsesTopicIds, bool ReadCommitted, int ReplicaId, long ReplicaEpoch, int MaxBytes, HashSet<FetchPartitionKey>? Denied);
}
