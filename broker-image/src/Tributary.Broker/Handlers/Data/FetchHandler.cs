using System.Buffers;
using System.Runtime.InteropServices;
using Tributary.Broker.FetchSessions;
using Tributary.Broker.Metadata;
using Tributary.Broker.Metrics;
using Tributary.Broker.Network;
using Tributary.Broker.Partitions;
using Tributary.Broker.Requests;
using Tributary.Protocol;
using Tributary.Protocol.Messages;
using Tributary.Storage;
using static Tributary.Protocol.Messages.FetchResponse;

namespace Tributary.Broker.Handlers.Data;

/// <summary>
/// Fetch for consumers (and, through the same path, followers later): resolves the request
/// against its fetch session, reads whole batches up to the high watermark (read_committed: the
/// last stable offset), and long-polls without holding a thread until <c>min_bytes</c> are
/// available or <c>max_wait_ms</c> passes.
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

    public FetchHandler(ReplicaManager replicas, IMetadataView metadata, FetchSessionCache sessions, BrokerMetrics metrics, int fetchMaxBytes = DefaultFetchMaxBytes, TimeProvider? time = null)
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
    }

    protected override async ValueTask<FetchResponse?> HandleAsync(RequestContext context, RequestHeader header, FetchRequest request, CancellationToken ct)
    {
        var version = header.RequestApiVersion;
        var usesTopicIds = version >= FirstTopicIdVersion;
        var (requested, forgotten) = ParseTargets(request, usesTopicIds);
        var fetch = _sessions.NewContext(request.SessionId, request.SessionEpoch, usesTopicIds, requested, forgotten);
        if (fetch.Kind == FetchContextKind.Error)
        {
            return new FetchResponse { ErrorCode = (short)fetch.Error, SessionId = 0 };
        }

        var replicaId = version >= 15 ? request.ReplicaState.ReplicaId : request.ReplicaId;
        var options = new ReadOptions(usesTopicIds, request.IsolationLevel == ReadCommitted, replicaId >= 0 ? replicaId : -1, Math.Min(request.MaxBytes, _fetchMaxBytes));
        var targets = fetch.Targets;
        var reads = ReadAll(_metadata.Current, targets, options);
        if (request.MaxWaitMs > 0 && targets.Count > 0 && !reads.Any(r => r.Error != ErrorCode.None) && reads.Sum(r => (long)r.Records.Length) < request.MinBytes)
        {
            await WaitForDataAsync(targets, reads, request.MinBytes, request.MaxWaitMs, ct).ConfigureAwait(false);
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
                requested.Add(new FetchTarget(SessionKey(usesTopicIds, topic.TopicId, topic.Topic, p.Partition), p.FetchOffset, p.PartitionMaxBytes, p.CurrentLeaderEpoch));
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

    private async Task WaitForDataAsync(IReadOnlyList<FetchTarget> targets, PartitionRead[] reads, int minBytes, int maxWaitMs, CancellationToken ct)
    {
        var waiting = new DelayedFetch(targets, reads, minBytes);
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

    private PartitionRead ReadOne(MetadataImage image, FetchTarget target, ReadOptions options, int maxBytes, bool minOneBatch)
    {
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

        var committedBefore = partition.CommittedBytes;
        var hw = partition.HighWatermark;
        var lso = partition.LastStableOffset;
        var maxOffset = options.ReplicaId >= 0 ? long.MaxValue : options.ReadCommitted ? lso : hw;
        using var read = partition.Log.Read(target.FetchOffset, Math.Max(0, maxBytes), maxOffset, minOneBatch);
        if (read.Status == ReadStatus.OffsetOutOfRange)
        {
            return PartitionRead.Failed(ErrorCode.OffsetOutOfRange, partition) with { HighWatermark = hw, LastStableOffset = lso, LogStartOffset = read.LogStartOffset };
        }

        if (options.ReplicaId >= 0)
        {
            partition.UpdateReplicaEndOffset(options.ReplicaId, target.FetchOffset);
        }

        // The response takes the pooled read buffer itself; ResponseSerialized returns it to the pool.
        return new PartitionRead(partition, ErrorCode.None, hw, lso, read.LogStartOffset, read.TakeRecords(), committedBefore);
    }

    /// <summary>Returns the pooled record buffers of a serialized response (a fetch response references nothing else pooled).</summary>
    protected override void ResponseSerialized(FetchResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        foreach (var topic in response.Responses)
        {
            foreach (var partition in topic.Partitions)
            {
                ReturnToPool(partition.Records);
                partition.Records = null;
            }
        }
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
            states[i] = new FetchedPartitionState(reads[i].Error, reads[i].HighWatermark, reads[i].LastStableOffset, reads[i].LogStartOffset, !reads[i].Records.IsEmpty);
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
    private readonly record struct ReadOptions(bool UsesTopicIds, bool ReadCommitted, int ReplicaId, int MaxBytes);
}
