using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Tributary.Broker.Metadata;
using Tributary.Broker.Partitions;
using Tributary.Client;
using Tributary.Client.Network;
using Tributary.Protocol;
using Tributary.Protocol.Messages;
using BrokerEndpoint = Tributary.Client.Network.BrokerEndpoint;
using TopicPartition = Tributary.Storage.TopicPartition;

namespace Tributary.Broker.Replication;

/// <summary>
/// One replica fetcher: a connection to one leader broker and a loop that fetches that leader's
/// partitions assigned to it (Kafka's ReplicaFetcherThread). Each round sends one sessionless
/// Fetch (replica id / replica state, CurrentLeaderEpoch, LastFetchedEpoch, log end as fetch
/// offset) which the leader long-polls, then appends what came back, truncates on a diverging
/// epoch, restarts the log on OFFSET_OUT_OF_RANGE below the leader's log start, and backs off
/// partitions that failed. Partitions fenced by a newer epoch wait for the metadata that moves them.
/// </summary>
internal sealed partial class ReplicaFetcher : IAsyncDisposable
{
    private const short MinFetchVersion = 12; // LastFetchedEpoch / DivergingEpoch
    private const short MaxFetchVersion = 16;
    private const short FirstTopicIdVersion = 13;
    private const short FirstReplicaStateVersion = 15;

    private readonly Lock _lock = new();
    private readonly Dictionary<TopicPartition, PartitionFetchState> _partitions = [];
    private readonly SemaphoreSlim _wake = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ReplicaFetcherOptions _options;
    private readonly IMetadataView _metadata;
    private readonly ReplicationThrottle? _throttle;
    private readonly ILogger _logger;
    private readonly List<(TopicPartition Key, PartitionFetchState State)> _round = [];

    /// <summary>The round's partitions by key, and topic names by id, to match a response's partitions without a scan each.</summary>
    private readonly Dictionary<TopicPartition, PartitionFetchState> _roundByKey = [];

    private readonly Dictionary<Guid, string> _roundTopicNames = [];
    private KafkaConnection? _connection;
    private Task _loop = Task.CompletedTask;

    public ReplicaFetcher(int leaderId, int fetcherId, ReplicaFetcherOptions options, IMetadataView metadata, ReplicationThrottle? throttle, ILogger logger)
    {
        LeaderId = leaderId;
        FetcherId = fetcherId;
        _options = options;
        _metadata = metadata;
        _throttle = throttle;
        _logger = logger;
    }

    public int LeaderId { get; }

    public int FetcherId { get; }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _partitions.Count;
            }
        }
    }

    private long NowMs => _options.Time.GetUtcNow().ToUnixTimeMilliseconds();

    public void Start() => _loop = Task.Run(RunAsync);

    /// <summary>Adds a partition, or restarts it in a new leader epoch.</summary>
    public void Add(FollowTarget target)
    {
        lock (_lock)
        {
            var key = target.Partition.TopicPartition;
            if (_partitions.TryGetValue(key, out var existing) && existing.LeaderEpoch == target.LeaderEpoch && ReferenceEquals(existing.Partition, target.Partition))
            {
                return;
            }

            _partitions[key] = new PartitionFetchState(target.Partition, target.LeaderEpoch);
        }

        Wake();
    }

    public bool Remove(TopicPartition partition)
    {
        lock (_lock)
        {
            return _partitions.Remove(partition);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        Wake();
        await _loop.ConfigureAwait(false);
        if (_connection is { } connection)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }

        _stop.Dispose();
        _wake.Dispose();
    }

    private void Wake()
    {
        try
        {
            if (_wake.CurrentCount == 0)
            {
                _wake.Release();
            }
        }
        catch (ObjectDisposedException)
        {
            // Stopped.
        }
    }

    private async Task RunAsync()
    {
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            try
            {
                await FetchOnceAsync(token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                break;
            }
#pragma warning disable CA1031 // A failed round (connection lost, leader gone, bad response) must never end the fetcher: back off and retry.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogFetchFailed(LeaderId, e.Message);
                await CloseConnectionAsync().ConfigureAwait(false);
                await SleepAsync(TimeSpan.FromMilliseconds(_options.FetchBackoffMs), token).ConfigureAwait(false);
            }
        }
    }

    private async Task FetchOnceAsync(CancellationToken token)
    {
        var now = NowMs;
        var nextDelay = long.MaxValue;
        _round.Clear();
        lock (_lock)
        {
            foreach (var (key, state) in _partitions)
            {
                if (state.Fenced || state.Partition.IsClosed)
                {
                    continue;
                }

                if (state.DelayedUntilMs > now)
                {
                    nextDelay = Math.Min(nextDelay, state.DelayedUntilMs);
                    continue;
                }

                if (_throttle is { } throttle && throttle.IsFollowerThrottled(key.Topic, key.Partition) && !throttle.TryAcquireFollower())
                {
                    nextDelay = Math.Min(nextDelay, now + 100);
                    continue;
                }

                state.FetchOffset = state.Partition.LogEndOffset;
                _round.Add((key, state));
            }
        }

        if (_round.Count == 0)
        {
            var wait = nextDelay == long.MaxValue ? TimeSpan.FromSeconds(1) : TimeSpan.FromMilliseconds(Math.Clamp(nextDelay - now, 1, 1000));
            await SleepAsync(wait, token).ConfigureAwait(false);
            return;
        }

        _roundByKey.Clear();
        _roundTopicNames.Clear();
        foreach (var (key, state) in _round)
        {
            _roundByKey[key] = state;
            if (state.Partition.TopicId != Guid.Empty)
            {
                _roundTopicNames[state.Partition.TopicId] = key.Topic;
            }
        }

        var connection = await ConnectAsync(token).ConfigureAwait(false);
        var version = connection.Versions.Select(ApiKey.Fetch, MinFetchVersion, MaxFetchVersion);
        var request = BuildRequest(version);
        var timeout = _options.RequestTimeout + TimeSpan.FromMilliseconds(_options.FetchWaitMaxMs);
        var response = (FetchResponse)await connection.SendAsync(request, version, timeout, token).ConfigureAwait(false);
        if (response.ErrorCode != (short)ErrorCode.None)
        {
            LogFetchFailed(LeaderId, ((ErrorCode)response.ErrorCode).ToString());
            DelayAll(_round);
            return;
        }

        foreach (var topic in response.Responses)
        {
            var name = topic.TopicId != Guid.Empty ? _roundTopicNames.GetValueOrDefault(topic.TopicId) : topic.Topic;
            if (name is null)
            {
                continue;
            }

            foreach (var data in topic.Partitions)
            {
                if (Find(new TopicPartition(name, data.PartitionIndex)) is { } state)
                {
                    await ProcessAsync(connection, state, data, token).ConfigureAwait(false);
                }
            }
        }
    }

    private FetchRequest BuildRequest(short version)
    {
        var image = _metadata.Current;
        var brokerEpoch = image.Brokers.TryGetValue(_options.NodeId, out var self) ? self.Epoch : -1;
        var request = new FetchRequest
        {
            MaxWaitMs = _options.FetchWaitMaxMs,
            MinBytes = _options.FetchMinBytes,
            MaxBytes = _options.FetchResponseMaxBytes,
            SessionId = 0,
            SessionEpoch = -1,
        };
        if (version >= FirstReplicaStateVersion)
        {
            request.ReplicaState = new FetchRequest.ReplicaStateData { ReplicaId = _options.NodeId, ReplicaEpoch = brokerEpoch };
        }
        else
        {
            request.ReplicaId = _options.NodeId;
        }

        FetchRequest.FetchTopic? current = null;
        foreach (var (key, state) in _round.OrderBy(r => r.Key.Topic, StringComparer.Ordinal))
        {
            if (current is null || !string.Equals(current.Topic, key.Topic, StringComparison.Ordinal))
            {
                current = new FetchRequest.FetchTopic { Topic = key.Topic, TopicId = state.Partition.TopicId };
                request.Topics.Add(current);
            }

            current.Partitions.Add(new FetchRequest.FetchPartition
            {
                Partition = key.Partition,
                CurrentLeaderEpoch = state.LeaderEpoch,
                FetchOffset = state.FetchOffset,
                LastFetchedEpoch = state.Partition.Log.LeaderEpochs.LatestEpoch,
                LogStartOffset = state.Partition.LogStartOffset,
                PartitionMaxBytes = _options.FetchMaxBytes,
            });
        }

        if (version < FirstTopicIdVersion)
        {
            foreach (var topic in request.Topics)
            {
                topic.TopicId = Guid.Empty;
            }
        }

        return request;
    }

    /// <summary>The round's state for <paramref name="key"/>, or null when the partition was not asked for or was removed or restarted since.</summary>
    private PartitionFetchState? Find(TopicPartition key)
    {
        if (!_roundByKey.TryGetValue(key, out var state))
        {
            return null;
        }

        lock (_lock)
        {
            // Removed or restarted in another epoch while the fetch was out: drop the answer.
            return _partitions.TryGetValue(key, out var currentState) && ReferenceEquals(currentState, state) ? state : null;
        }
    }

    private async Task ProcessAsync(KafkaConnection connection, PartitionFetchState state, FetchResponse.PartitionData data, CancellationToken token)
    {
        var partition = state.Partition;
        var error = (ErrorCode)data.ErrorCode;
        switch (error)
        {
            case ErrorCode.None:
                if (data.DivergingEpoch.EndOffset >= 0 || data.DivergingEpoch.Epoch >= 0)
                {
                    Truncate(state, data.DivergingEpoch.Epoch, data.DivergingEpoch.EndOffset);
                    return;
                }

                if (data.Records is { IsEmpty: false } records)
                {
                    var appended = partition.AppendAsFollower(records.Span, state.LeaderEpoch, data.HighWatermark);
                    if (appended.Error != ErrorCode.None)
                    {
                        LogPartitionFailed(partition.TopicPartition, LeaderId, appended.Error.ToString(), appended.Message ?? string.Empty);
                        Delay(state);
                        return;
                    }

                    if (_throttle is { } throttle && throttle.IsFollowerThrottled(partition.TopicPartition.Topic, partition.TopicPartition.Partition))
                    {
                        throttle.RecordFollowerBytes(appended.Bytes);
                    }
                }
                else
                {
                    partition.UpdateFollowerHighWatermark(data.HighWatermark);
                }

                partition.MaybeIncrementLogStartOffsetAsFollower(data.LogStartOffset, state.LeaderEpoch);
                return;
            case ErrorCode.OffsetOutOfRange:
                await HandleOutOfRangeAsync(connection, state, data.LogStartOffset, token).ConfigureAwait(false);
                return;
            case ErrorCode.FencedLeaderEpoch:
                // The leader is in a newer epoch than we know: wait for the metadata that says so.
                LogPartitionFailed(partition.TopicPartition, LeaderId, error.ToString(), "waiting for new metadata");
                lock (_lock)
                {
                    state.Fenced = true;
                }

                return;
            default:
                // NOT_LEADER_OR_FOLLOWER, UNKNOWN_LEADER_EPOCH (the leader has not seen the metadata yet),
                // UNKNOWN_TOPIC_OR_PARTITION, storage errors: retry after the backoff.
                Delay(state);
                return;
        }
    }

    /// <summary>Truncates to where the leader's log and ours agree (KIP-595 diverging epoch).</summary>
    private void Truncate(PartitionFetchState state, int leaderEpoch, long leaderEndOffset)
    {
        var partition = state.Partition;
        var followerEnd = leaderEpoch >= 0 ? partition.EndOffsetForEpoch(leaderEpoch) : new Storage.EpochEntry(-1, -1);
        var (offset, _) = TruncationPlanner.Plan(leaderEpoch, leaderEndOffset, followerEnd, partition.LogEndOffset, partition.HighWatermark);
        LogTruncating(partition.TopicPartition, offset, partition.LogEndOffset, leaderEpoch, leaderEndOffset);
        var before = (partition.LogEndOffset, partition.Log.LeaderEpochs.LatestEpoch);
        if (!partition.TruncateTo(offset, state.LeaderEpoch) || before == (partition.LogEndOffset, partition.Log.LeaderEpochs.LatestEpoch))
        {
            // A truncation that changed nothing would send the same fetch and get the same
            // answer: back off rather than spin on it.
            Delay(state);
        }
    }

    /// <summary>
    /// Below the leader's log start (retention or DeleteRecords removed what we need): restart
    /// empty at its log start. Above its log end (only after an unclean election): truncate to it.
    /// </summary>
    private async Task HandleOutOfRangeAsync(KafkaConnection connection, PartitionFetchState state, long leaderLogStart, CancellationToken token)
    {
        var partition = state.Partition;
        if (leaderLogStart >= 0 && state.FetchOffset < leaderLogStart)
        {
            LogRestarting(partition.TopicPartition, leaderLogStart);
            partition.TruncateFullyAndStartAt(leaderLogStart, state.LeaderEpoch);
            return;
        }

        var leaderEnd = await LeaderLogEndAsync(connection, state, token).ConfigureAwait(false);
        if (leaderEnd is { } end && end < partition.LogEndOffset)
        {
            LogTruncating(partition.TopicPartition, end, partition.LogEndOffset, -1, end);
            partition.TruncateTo(end, state.LeaderEpoch);
            return;
        }

        Delay(state);
    }

    private async Task<long?> LeaderLogEndAsync(KafkaConnection connection, PartitionFetchState state, CancellationToken token)
    {
        var version = connection.Versions.Select(ApiKey.ListOffsets, 1, 9);
        var tp = state.Partition.TopicPartition;
        var request = new ListOffsetsRequest
        {
            ReplicaId = _options.NodeId,
            Topics =
            [
                new ListOffsetsRequest.ListOffsetsTopic
                {
                    Name = tp.Topic,
                    Partitions = [new ListOffsetsRequest.ListOffsetsPartition { PartitionIndex = tp.Partition, CurrentLeaderEpoch = state.LeaderEpoch, Timestamp = -1 }],
                },
            ],
        };
        var response = (ListOffsetsResponse)await connection.SendAsync(request, version, _options.RequestTimeout, token).ConfigureAwait(false);
        var answer = response.Topics.SelectMany(t => t.Partitions).FirstOrDefault();
        return answer is { ErrorCode: 0 } ? answer.Offset : null;
    }

    private void Delay(PartitionFetchState state)
    {
        lock (_lock)
        {
            state.DelayedUntilMs = NowMs + _options.FetchBackoffMs;
        }
    }

    private void DelayAll(List<(TopicPartition Key, PartitionFetchState State)> round)
    {
        foreach (var (_, state) in round)
        {
            Delay(state);
        }
    }

    private async Task<KafkaConnection> ConnectAsync(CancellationToken token)
    {
        if (_connection is { IsOpen: true } open)
        {
            return open;
        }

        await CloseConnectionAsync().ConfigureAwait(false);
        var image = _metadata.Current;
        var endpoint = image.Brokers.TryGetValue(LeaderId, out var leader) ? leader.Endpoint(_options.InterBrokerListenerName) : null;
        if (endpoint is null)
        {
            throw new KafkaException(ErrorCode.BrokerNotAvailable, $"broker {LeaderId} has no {_options.InterBrokerListenerName} endpoint in the metadata");
        }

        var options = new ClientOptions
        {
            ClientId = $"broker-{_options.NodeId}-fetcher-{FetcherId}",
            ConnectTimeout = _options.ConnectTimeout,
            RequestTimeout = _options.RequestTimeout,
            MaxResponseSize = Math.Max(_options.FetchResponseMaxBytes, _options.FetchMaxBytes) + (1 << 20),
        };
        _connection = await KafkaConnection.ConnectAsync(new BrokerEndpoint(endpoint.Host, endpoint.Port), options, token).ConfigureAwait(false);
        return _connection;
    }

    private async Task CloseConnectionAsync()
    {
        if (_connection is { } connection)
        {
            _connection = null;
            try
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or KafkaException)
            {
                // Already broken.
            }
        }
    }

    private async Task SleepAsync(TimeSpan wait, CancellationToken token)
    {
        try
        {
            await _wake.WaitAsync(wait, token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ObjectDisposedException or OperationCanceledException)
        {
            // Stopping.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fetch from broker {Leader} failed: {Reason}")]
    private partial void LogFetchFailed(int leader, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Fetching {Partition} from broker {Leader} failed with {Error}: {Reason}")]
    private partial void LogPartitionFailed(TopicPartition partition, int leader, string error, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Truncating {Partition} to {Offset} (log end {LogEnd}; leader epoch {Epoch} ends at {LeaderEnd})")]
    private partial void LogTruncating(TopicPartition partition, long offset, long logEnd, int epoch, long leaderEnd);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Restarting {Partition} empty at the leader's log start {Offset}")]
    private partial void LogRestarting(TopicPartition partition, long offset);
}
