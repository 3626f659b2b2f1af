using Tributary.Client.Cluster;
using Tributary.Client.Network;
using Tributary.Protocol;
using Tributary.Protocol.Messages;

namespace Tributary.Client.Consumer;

/// <summary>
/// Reads records with Fetch (v4+), either from partitions given with <see cref="Assign"/> or as a
/// member of a consumer group after <see cref="Subscribe"/>. Like Java's consumer it is meant for
/// one thread: call <see cref="PollAsync"/> in a loop; group heartbeats run in the background.
/// </summary>
public sealed class KafkaConsumer : IAsyncDisposable
{
    private readonly ConsumerOptions _options;
    private readonly ClusterClient _cluster;
    private readonly TimeProvider _time;
    private readonly ConsumerGroupMember? _group;
    private readonly Dictionary<TopicPartition, long?> _positions = [];
    private readonly Queue<ConsumeResult> _buffered = new();
    private IReadOnlyList<string> _subscription = [];
    private DateTimeOffset _nextAutoCommit;
    private bool _disposed;

    public KafkaConsumer(ConsumerOptions options, IKafkaConnectionFactory? connectionFactory = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        _cluster = new ClusterClient(options, connectionFactory, _time);
        if (!string.IsNullOrEmpty(options.GroupId))
        {
            _group = new ConsumerGroupMember(_cluster, options, options.GroupId);
        }

        _nextAutoCommit = _time.GetUtcNow() + options.AutoCommitInterval;
    }

    /// <summary>The partitions being read.</summary>
    public IReadOnlyCollection<TopicPartition> Assignment => _positions.Keys.ToList();

    /// <summary>The topics subscribed to (empty with manual assignment).</summary>
    public IReadOnlyList<string> Subscription => _subscription;

    /// <summary>The group generation the consumer is in, if subscribed and joined.</summary>
    public GroupAssignment? Group => _group?.Current;

    public ClusterClient Cluster => _cluster;

    /// <summary>Reads exactly these partitions (no group membership); positions start from committed offsets or the reset policy.</summary>
    public void Assign(IEnumerable<TopicPartition> partitions)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        ObjectDisposedException.ThrowIf(_disposed, this);
        _subscription = [];
        SetAssignment(partitions);
    }

    public void Unassign() => SetAssignment([]);

    /// <summary>Joins the group (on the next poll) to be assigned partitions of these topics.</summary>
    public void Subscribe(IEnumerable<string> topics)
    {
        ArgumentNullException.ThrowIfNull(topics);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_group is null)
        {
            throw new InvalidOperationException("Subscribe needs ConsumerOptions.GroupId");
        }

        _subscription = topics.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        SetAssignment([]);
        _group.RequestRejoin();
    }

    private void SetAssignment(IEnumerable<TopicPartition> partitions)
    {
        var wanted = partitions.ToHashSet();
        foreach (var gone in _positions.Keys.Where(p => !wanted.Contains(p)).ToList())
        {
            _positions.Remove(gone);
        }

        foreach (var partition in wanted)
        {
            _positions.TryAdd(partition, null);
        }

        DropBuffered(p => !wanted.Contains(p));
    }

    private void DropBuffered(Func<TopicPartition, bool> drop)
    {
        var keep = _buffered.Where(r => !drop(r.Partition)).ToList();
        _buffered.Clear();
        foreach (var record in keep)
        {
            _buffered.Enqueue(record);
        }
    }

    /// <summary>The offset of the next record to be returned for an assigned partition (null until resolved).</summary>
    public long? Position(TopicPartition partition) =>
        _positions.TryGetValue(partition, out var position) ? position : throw new InvalidOperationException($"{partition} is not assigned");

    /// <summary>Moves an assigned partition's position.</summary>
    public void Seek(TopicPartition partition, long offset)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (!_positions.ContainsKey(partition))
        {
            throw new InvalidOperationException($"{partition} is not assigned");
        }

        _positions[partition] = offset;
        DropBuffered(p => p == partition);
    }

    public Task SeekToBeginningAsync(IEnumerable<TopicPartition> partitions, CancellationToken cancellationToken = default) =>
        SeekToAsync(partitions, -2, cancellationToken);

    public Task SeekToEndAsync(IEnumerable<TopicPartition> partitions, CancellationToken cancellationToken = default) =>
        SeekToAsync(partitions, -1, cancellationToken);

    private async Task SeekToAsync(IEnumerable<TopicPartition> partitions, long timestamp, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        var list = partitions.ToList();
        var offsets = await ListOffsetsAsync(list, timestamp, cancellationToken).ConfigureAwait(false);
        foreach (var partition in list)
        {
            Seek(partition, offsets[partition]);
        }
    }

    /// <summary>
    /// Returns the next records (possibly none after <paramref name="timeout"/>). Joins or rejoins the
    /// group when needed, resolves positions, fetches from partition leaders and auto-commits when enabled.
    /// </summary>
    public async Task<IReadOnlyList<ConsumeResult>> PollAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var deadline = _time.GetUtcNow() + timeout;
        if (_group is not null && _subscription.Count > 0 && _group.RejoinNeeded)
        {
            await RejoinAsync(cancellationToken).ConfigureAwait(false);
        }

        await MaybeAutoCommitAsync(cancellationToken).ConfigureAwait(false);
        await ResolvePositionsAsync(cancellationToken).ConfigureAwait(false);
        while (_buffered.Count == 0 && _positions.Count > 0)
        {
            var remaining = deadline - _time.GetUtcNow();
            await FetchAsync(remaining < TimeSpan.Zero ? TimeSpan.Zero : remaining, cancellationToken).ConfigureAwait(false);
            if (_buffered.Count > 0 || _time.GetUtcNow() >= deadline || (_group is not null && _subscription.Count > 0 && _group.RejoinNeeded))
            {
                break;
            }

            await ResolvePositionsAsync(cancellationToken).ConfigureAwait(false);
        }

        if (_positions.Count == 0 && _buffered.Count == 0)
        {
            var remaining = deadline - _time.GetUtcNow();
            if (remaining > TimeSpan.Zero)
            {
                await Task.Delay(remaining < TimeSpan.FromMilliseconds(100) ? remaining : TimeSpan.FromMilliseconds(100), _time, cancellationToken).ConfigureAwait(false);
            }
        }

        var result = new List<ConsumeResult>(Math.Min(_buffered.Count, _options.MaxPollRecords));
        while (result.Count < _options.MaxPollRecords && _buffered.TryDequeue(out var record))
        {
            result.Add(record);
        }

        return result;
    }

    private async Task RejoinAsync(CancellationToken cancellationToken)
    {
        // Eager protocol: give everything up before rejoining, committing first so the next owner continues from here.
        if (_options.EnableAutoCommit && _group!.Current is not null)
        {
            await TryCommitPositionsAsync(cancellationToken).ConfigureAwait(false);
        }

        SetAssignment([]);
        var assignment = await _group!.JoinAsync(_subscription, cancellationToken).ConfigureAwait(false);
        SetAssignment(assignment.Partitions);
    }

    private async Task MaybeAutoCommitAsync(CancellationToken cancellationToken)
    {
        if (!_options.EnableAutoCommit || _group is null || _time.GetUtcNow() < _nextAutoCommit)
        {
            return;
        }

        _nextAutoCommit = _time.GetUtcNow() + _options.AutoCommitInterval;
        await TryCommitPositionsAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task TryCommitPositionsAsync(CancellationToken cancellationToken)
    {
        try
        {
            await CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (KafkaException ex) when (ex.ErrorCode is ErrorCode.RebalanceInProgress or ErrorCode.IllegalGeneration or ErrorCode.UnknownMemberId)
        {
            _group?.RequestRejoin();
        }
    }

    /// <summary>Positions for newly assigned partitions: the group's committed offset, else the reset policy.</summary>
    private async Task ResolvePositionsAsync(CancellationToken cancellationToken)
    {
        var unresolved = _positions.Where(p => p.Value is null).Select(p => p.Key).ToList();
        if (unresolved.Count == 0)
        {
            return;
        }

        if (_group is not null)
        {
            var committed = await GroupOffsets.FetchAsync(_cluster, _options.GroupId!, unresolved, requireStable: _options.IsolationLevel == IsolationLevel.ReadCommitted,
                cancellationToken).ConfigureAwait(false);
            foreach (var partition in unresolved)
            {
                if (committed.TryGetValue(partition, out var offset) && offset.Offset >= 0)
                {
                    _positions[partition] = offset.Offset;
                }
            }

            unresolved = unresolved.Where(p => _positions[p] is null).ToList();
        }

        await ResetAsync(unresolved, cancellationToken).ConfigureAwait(false);
    }

    private async Task ResetAsync(IReadOnlyList<TopicPartition> partitions, CancellationToken cancellationToken)
    {
        if (partitions.Count == 0)
        {
            return;
        }

        if (_options.AutoOffsetReset == AutoOffsetReset.None)
        {
            throw new KafkaException(ErrorCode.OffsetOutOfRange, $"no valid position for {string.Join(", ", partitions)} and AutoOffsetReset is None");
        }

        var offsets = await ListOffsetsAsync(partitions, _options.AutoOffsetReset == AutoOffsetReset.Earliest ? -2 : -1, cancellationToken).ConfigureAwait(false);
        foreach (var partition in partitions)
        {
            if (_positions.ContainsKey(partition))
            {
                _positions[partition] = offsets[partition];
            }
        }
    }

    private async Task<Dictionary<TopicPartition, long>> ListOffsetsAsync(IReadOnlyList<TopicPartition> partitions, long timestamp, CancellationToken cancellationToken)
    {
        var results = await _cluster.RetryPerItemAsync(partitions, async (pending, ct) =>
        {
            var metadata = await _cluster.GetMetadataAsync(pending.Select(p => p.Topic).Distinct(StringComparer.Ordinal).ToList(), false, ct).ConfigureAwait(false);
            var answers = new Dictionary<TopicPartition, (ErrorCode Error, long Offset)>();
            foreach (var group in pending.GroupBy(metadata.LeaderOf))
            {
                if (group.Key < 0)
                {
                    foreach (var partition in group)
                    {
                        answers[partition] = (ErrorCode.LeaderNotAvailable, -1);
                    }

                    continue;
                }

                var connection = await _cluster.ConnectNodeAsync(group.Key, ct).ConfigureAwait(false);
                var response = await _cluster.SendAsync<ListOffsetsResponse>(connection, ApiKey.ListOffsets, 1, 9, _ => new ListOffsetsRequest
                {
                    ReplicaId = -1,
                    IsolationLevel = (sbyte)_options.IsolationLevel,
                    Topics = group.GroupBy(p => p.Topic, StringComparer.Ordinal).Select(t => new ListOffsetsRequest.ListOffsetsTopic
                    {
                        Name = t.Key,
                        Partitions = t.Select(p => new ListOffsetsRequest.ListOffsetsPartition { PartitionIndex = p.Partition, Timestamp = timestamp }).ToList(),
                    }).ToList(),
                }, ct).ConfigureAwait(false);
                foreach (var topic in response.Topics)
                {
                    foreach (var partition in topic.Partitions)
                    {
                        answers[new TopicPartition(topic.Name, partition.PartitionIndex)] = ((ErrorCode)partition.ErrorCode, partition.Offset);
                    }
                }
            }

            return answers;
        }, a => a.Error, cancellationToken).ConfigureAwait(false);

        foreach (var (partition, answer) in results)
        {
            KafkaException.ThrowIfError((short)answer.Error, null, $"ListOffsets for {partition}");
        }

        return results.ToDictionary(r => r.Key, r => r.Value.Offset);
    }

    /// <summary>One Fetch per leader, in parallel; decodes the answers into the buffer.</summary>
    private async Task FetchAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        var positions = _positions.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value!.Value);
        if (positions.Count == 0)
        {
            return;
        }

        ClusterMetadata metadata;
        try
        {
            metadata = await _cluster.GetMetadataAsync(positions.Keys.Select(p => p.Topic).Distinct(StringComparer.Ordinal).ToList(), false, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (KafkaException ex) when (ex.IsRetriable)
        {
            await Task.Delay(_cluster.Backoff.Initial, _time, cancellationToken).ConfigureAwait(false);
            return;
        }

        var maxWait = wait < _options.FetchMaxWait ? wait : _options.FetchMaxWait;
        var fetches = positions.GroupBy(p => metadata.LeaderOf(p.Key)).Where(g => g.Key >= 0)
            .Select(g => FetchFromAsync(g.Key, g.ToDictionary(p => p.Key, p => p.Value), maxWait, cancellationToken)).ToList();
        if (fetches.Count == 0)
        {
            _cluster.InvalidateMetadata();
            await Task.Delay(_cluster.Backoff.Initial, _time, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (fetches.Count < positions.GroupBy(p => metadata.LeaderOf(p.Key)).Count())
        {
            _cluster.InvalidateMetadata();
        }

        var answers = await Task.WhenAll(fetches).ConfigureAwait(false);
        var reset = new List<TopicPartition>();
        foreach (var answer in answers.SelectMany(a => a))
        {
            Apply(answer, positions, reset);
        }

        if (reset.Count > 0)
        {
            await ResetAsync(reset, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<List<(TopicPartition Partition, FetchResponse.PartitionData? Data, KafkaException? Error)>> FetchFromAsync(int leader,
        Dictionary<TopicPartition, long> positions, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        try
        {
            var connection = await _cluster.ConnectNodeAsync(leader, cancellationToken).ConfigureAwait(false);
            var response = await _cluster.SendAsync<FetchResponse>(connection, ApiKey.Fetch, 4, 12, _ => new FetchRequest
            {
                ReplicaId = -1,
                MaxWaitMs = (int)maxWait.TotalMilliseconds,
                MinBytes = _options.FetchMinBytes,
                MaxBytes = _options.FetchMaxBytes,
                IsolationLevel = (sbyte)_options.IsolationLevel,
                SessionId = 0,
                SessionEpoch = -1,
                Topics = positions.GroupBy(p => p.Key.Topic, StringComparer.Ordinal).Select(t => new FetchRequest.FetchTopic
                {
                    Topic = t.Key,
                    Partitions = t.Select(p => new FetchRequest.FetchPartition
                    {
                        Partition = p.Key.Partition,
                        FetchOffset = p.Value,
                        PartitionMaxBytes = _options.MaxPartitionFetchBytes,
                    }).ToList(),
                }).ToList(),
            }, cancellationToken, maxWait).ConfigureAwait(false);
            KafkaException.ThrowIfError(response.ErrorCode, null, $"Fetch from broker {leader}");
            return response.Responses.SelectMany(t => t.Partitions.Select(p => (new TopicPartition(t.Topic, p.PartitionIndex), (FetchResponse.PartitionData?)p, (KafkaException?)null)))
                .ToList();
        }
        catch (KafkaException ex) when (ex.IsRetriable)
        {
            return positions.Keys.Select(p => (p, (FetchResponse.PartitionData?)null, (KafkaException?)ex)).ToList();
        }
    }

    private void Apply((TopicPartition Partition, FetchResponse.PartitionData? Data, KafkaException? Error) answer, Dictionary<TopicPartition, long> requested,
        List<TopicPartition> reset)
    {
        var (partition, data, error) = answer;
        if (!requested.TryGetValue(partition, out var fetchedFrom) || !_positions.TryGetValue(partition, out var current) || current != fetchedFrom)
        {
            return; // unassigned or sought while the fetch was out
        }

        if (error is not null || data is null)
        {
            if (error is not null && KafkaErrors.InvalidatesMetadata(error.ErrorCode))
            {
                _cluster.InvalidateMetadata();
            }

            return;
        }

        var code = (ErrorCode)data.ErrorCode;
        if (code == ErrorCode.OffsetOutOfRange)
        {
            _positions[partition] = null;
            reset.Add(partition);
            return;
        }

        if (code != ErrorCode.None)
        {
            if (KafkaErrors.IsRetriable(code))
            {
                if (KafkaErrors.InvalidatesMetadata(code))
                {
                    _cluster.InvalidateMetadata();
                }

                return;
            }

            KafkaException.ThrowIfError(data.ErrorCode, null, $"Fetch {partition}");
        }

        if (data.Records is not { Length: > 0 } records)
        {
            return;
        }

        var output = new List<ConsumeResult>();
        var aborted = data.AbortedTransactions?.Select(a => (a.ProducerId, a.FirstOffset)).ToList();
        var next = FetchDecoder.Decode(partition, records.Span, fetchedFrom, aborted, _options.IsolationLevel == IsolationLevel.ReadCommitted,
            _options.CheckCrcs, _options.MaxDecompressedBatchBytes, int.MaxValue, output);
        foreach (var record in output)
        {
            _buffered.Enqueue(record);
        }

        _positions[partition] = next;
    }

    /// <summary>Commits the current positions of every assigned partition.</summary>
    public Task CommitAsync(CancellationToken cancellationToken = default)
    {
        var offsets = _positions.Where(p => p.Value is not null)
            .ToDictionary(p => p.Key, p => new OffsetAndMetadata(p.Value!.Value));
        return CommitAsync(offsets, cancellationToken);
    }

    /// <summary>Commits the given offsets (the offset of the next record to read, as Kafka defines it).</summary>
    public Task CommitAsync(IReadOnlyDictionary<TopicPartition, OffsetAndMetadata> offsets, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(offsets);
        if (_group is null)
        {
            throw new InvalidOperationException("committing needs ConsumerOptions.GroupId");
        }

        var current = _subscription.Count > 0 ? _group.Current : null;
        return GroupOffsets.CommitAsync(_cluster, _options.GroupId!, current?.GenerationId ?? -1, current?.MemberId ?? "", null, offsets, cancellationToken);
    }

    /// <summary>The group's committed offsets for these partitions (-1 where none).</summary>
    public async Task<IReadOnlyDictionary<TopicPartition, OffsetAndMetadata>> CommittedAsync(IEnumerable<TopicPartition> partitions,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        if (_group is null)
        {
            throw new InvalidOperationException("committed offsets need ConsumerOptions.GroupId");
        }

        return await GroupOffsets.FetchAsync(_cluster, _options.GroupId!, partitions.ToList(), false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Commits (with auto-commit on), leaves the group and closes connections.</summary>
    public async Task CloseAsync(CancellationToken cancellationToken = default)
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_group is not null)
        {
            if (_options.EnableAutoCommit && (_subscription.Count == 0 || _group.Current is not null))
            {
                try
                {
                    await CommitAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (KafkaException)
                {
                    // Closing anyway; the next owner starts from the last successful commit.
                }
            }

            await _group.DisposeAsync().ConfigureAwait(false);
            if (_subscription.Count > 0)
            {
                await _group.LeaveAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        await _cluster.DisposeAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync() => await CloseAsync().ConfigureAwait(false);
}
