using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tributary.Broker.Metadata;
using Tributary.Broker.Raft;
using Tributary.Protocol;
using Tributary.Protocol.Messages;

namespace Tributary.Broker.Quorum;

/// <summary>
/// Runs one <see cref="RaftNode"/> against the real world. A single event loop owns the node (no
/// locks around it): it feeds it ticks, inbound requests (completing their response tasks), the
/// answers to its own requests and appends; sends <see cref="RaftOutput.Messages"/> through the
/// <see cref="IRaftTransport"/>; delivers committed batches and snapshots to the
/// <see cref="IRaftStateMachine"/>; and holds an up-to-date replica's Fetch on the leader until there
/// is something new for it (records or a high watermark it has not seen) or the fetch's wait ends.
/// </summary>
public sealed partial class RaftDriver : IAsyncDisposable
{
    private readonly RaftDriverOptions _options;
    private readonly IRaftLog _log;
    private readonly IQuorumStateStore _store;
    private readonly IRaftTransport _transport;
    private readonly IRaftStateMachine _stateMachine;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly long _startTimestamp;
    private readonly long _wallClockAtStart;
    private readonly Channel<DriverEvent> _events = Channel.CreateUnbounded<DriverEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<PendingAppend> _pendingAppends = [];
    private readonly List<HeldFetch> _heldFetches = [];
    private readonly Dictionary<int, long> _highWatermarkSent = [];
    private RaftNode? _node;
    private RaftStatus _status;
    private Task _loop = Task.CompletedTask;
    private Task _ticker = Task.CompletedTask;
    private long _delivered;
    private int _tickQueued;
    private int _state; // 0 new, 1 running, 2 stopped

    public RaftDriver(RaftDriverOptions options, IRaftLog log, IQuorumStateStore store, IRaftTransport transport,
        IRaftStateMachine stateMachine, ILogger<RaftDriver>? logger = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(stateMachine);
        _options = options;
        _log = log;
        _store = store;
        _transport = transport;
        _stateMachine = stateMachine;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _time = time ?? TimeProvider.System;
        _startTimestamp = _time.GetTimestamp();
        _wallClockAtStart = _time.GetUtcNow().ToUnixTimeMilliseconds();
        _status = new RaftStatus(options.Raft.NodeId, RaftRole.Unattached, 0, -1, 0, log.EndOffset, -1);
    }

    public int NodeId => _options.Raft.NodeId;

    /// <summary>The node as of the loop's last step (safe to read from any thread).</summary>
    public RaftStatus Status => Volatile.Read(ref _status);

    /// <summary>
    /// Creates the node from the durable log and quorum state, hands the latest snapshot (if any) to
    /// the state machine and starts the event loop and the ticker.
    /// </summary>
    public void Start()
    {
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0)
        {
            throw new InvalidOperationException("the driver was already started");
        }

        var node = new RaftNode(_options.Raft, _log, _store, Random.Shared, Now());
        _node = node;
        _delivered = _log.StartOffset;
        if (_log.LatestSnapshot is { } snapshot && _log.TryReadSnapshot(snapshot, out var state))
        {
            _stateMachine.LoadSnapshot(snapshot, state);
            _delivered = snapshot.EndOffset;
        }

        PublishStatus(node);
        _loop = Task.Run(RunLoopAsync, CancellationToken.None);
        _ticker = Task.Run(RunTickerAsync, CancellationToken.None);
    }

    /// <summary>
    /// Answers a KRaft request from another node (Vote, BeginQuorumEpoch, EndQuorumEpoch, Fetch,
    /// FetchSnapshot, DescribeQuorum). A Fetch from an up-to-date replica may be held by the leader
    /// for up to its MaxWaitMs.
    /// </summary>
    public Task<IApiResponse> HandleRequestAsync(IApiRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var inbound = new InboundEvent(request);
        Post(inbound);
        return ct.CanBeCanceled ? inbound.Completion.Task.WaitAsync(ct) : inbound.Completion.Task;
    }

    /// <summary>
    /// Appends <paramref name="values"/> as one batch on the leader. Completes with the batch's last
    /// offset once it is committed and was delivered to the state machine; fails with
    /// <see cref="NotControllerException"/> when this node does not lead, leadership is lost first,
    /// or (when given) the epoch is not <paramref name="expectedEpoch"/> or the log does not end at
    /// <paramref name="expectedBaseOffset"/>.
    /// </summary>
    public Task<long> AppendAsync(IReadOnlyList<ReadOnlyMemory<byte>> values, int expectedEpoch = -1, long expectedBaseOffset = -1)
    {
        ArgumentNullException.ThrowIfNull(values);
        var append = new AppendEvent(values, expectedEpoch, expectedBaseOffset);
        Post(append);
        return append.Completion.Task;
    }

    /// <summary>
    /// Stores <paramref name="state"/> as the snapshot of everything below <paramref name="endOffset"/>
    /// (a committed batch boundary) and trims the log. Completes false when the offset no longer
    /// qualifies (e.g. a newer snapshot replaced the log meanwhile).
    /// </summary>
    public Task<bool> CreateSnapshotAsync(long endOffset, ReadOnlyMemory<byte> state)
    {
        var snapshot = new SnapshotEvent(endOffset, state);
        Post(snapshot);
        return snapshot.Completion.Task;
    }

    /// <summary>
    /// Gives up leadership (before a shutdown) so the most caught-up voter takes over at once; a no-op
    /// when this node does not lead. Completes once the EndQuorumEpoch requests were answered or failed.
    /// </summary>
    public async Task ResignAsync(TimeSpan timeout)
    {
        var resign = new ResignEvent();
        Post(resign);
        var sends = await resign.Completion.Task.ConfigureAwait(false);
        try
        {
            await sends.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Peers that did not answer find out through their fetch timeout instead.
        }
    }

    /// <summary>Stops the loop; pending appends fail with <see cref="NotControllerException"/>, held fetches and requests are cancelled.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _state, 2) != 1)
        {
            return;
        }

        _events.Writer.TryComplete();
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        await _ticker.ConfigureAwait(false);
        FailEverything();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    /// <summary>Milliseconds on a monotonic clock since the driver was created.</summary>
    private long Now() => (long)_time.GetElapsedTime(_startTimestamp).TotalMilliseconds;

    private void Post(DriverEvent e)
    {
        if (!_events.Writer.TryWrite(e))
        {
            e.Fail(new NotControllerException("the metadata quorum is shut down"));
        }
    }

    private async Task RunTickerAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(_options.TickIntervalMs), _time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token).ConfigureAwait(false))
            {
                // At most one tick waits in the queue: a busy loop must not drown in stale ticks.
                if (Interlocked.Exchange(ref _tickQueued, 1) == 0 && !_events.Writer.TryWrite(TickEvent.Instance))
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task RunLoopAsync()
    {
        var reader = _events.Reader;
        try
        {
            while (await reader.WaitToReadAsync(_stopping.Token).ConfigureAwait(false))
            {
                var node = _node!;
                var before = Status;
                while (reader.TryRead(out var e))
                {
                    Process(node, e);
                }

                AfterStep(node, before);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Process(RaftNode node, DriverEvent e)
    {
        try
        {
            switch (e)
            {
                case TickEvent:
                    Volatile.Write(ref _tickQueued, 0);
                    ProcessOutput(node.Tick(Now()));
                    ExpireHeldFetches(node);
                    break;
                case ResponseEvent response:
                    ProcessOutput(node.Handle(Now(), response.Message));
                    break;
                case InboundEvent inbound:
                    HandleInbound(node, inbound);
                    break;
                case AppendEvent append:
                    HandleAppend(node, append);
                    break;
                case SnapshotEvent snapshot:
                    HandleSnapshot(node, snapshot);
                    break;
                case ResignEvent resign:
                    HandleResign(node, resign);
                    break;
                default:
                    break;
            }
        }
#pragma warning disable CA1031 // one bad event must not stop the quorum; its caller gets the error
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogEventFailed(ex, e.GetType().Name);
            e.Fail(ex);
        }
    }

    private void HandleInbound(RaftNode node, InboundEvent inbound)
    {
        var now = Now();
        var output = node.Handle(now, new RaftMessage(-1, NodeId, inbound.Request));
        ProcessOutput(output);
        switch (output.Response)
        {
            case FetchResponse fetchResponse when inbound.Request is FetchRequest fetch:
                if (ShouldHold(node, fetch, fetchResponse, output))
                {
                    _heldFetches.Add(new HeldFetch(fetch, inbound.Completion, now + fetch.MaxWaitMs));
                }
                else
                {
                    CompleteFetch(fetch, fetchResponse, inbound.Completion);
                }

                break;
            case DescribeQuorumResponse describe:
                ToWallClock(node, describe, now);
                inbound.Completion.TrySetResult(describe);
                break;
            case { } response:
                inbound.Completion.TrySetResult(response);
                break;
            default:
                inbound.Fail(new ArgumentException($"{inbound.Request.GetType().Name} is not a request the quorum answers"));
                break;
        }
    }

    private void HandleAppend(RaftNode node, AppendEvent append)
    {
        if (node.Role != RaftRole.Leader
            || (append.ExpectedEpoch >= 0 && node.Epoch != append.ExpectedEpoch)
            || (append.ExpectedBaseOffset >= 0 && node.Log.EndOffset != append.ExpectedBaseOffset))
        {
            append.Fail(NotController(node));
            return;
        }

        var result = node.Append(Now(), append.Values);
        _pendingAppends.Add(new PendingAppend(result.LastOffset, result.Epoch, append.Completion));
        ProcessOutput(result.Output);
    }

    private void HandleSnapshot(RaftNode node, SnapshotEvent snapshot)
    {
        if (snapshot.EndOffset <= node.Log.StartOffset || snapshot.EndOffset > node.HighWatermark || snapshot.EndOffset > _delivered
            || !node.Log.IsBatchBoundary(snapshot.EndOffset))
        {
            snapshot.Completion.TrySetResult(false);
            return;
        }

        var id = node.CreateSnapshot(snapshot.EndOffset, snapshot.State.Span);
        LogSnapshotCreated(id.EndOffset, id.Epoch, snapshot.State.Length);
        snapshot.Completion.TrySetResult(true);
    }

    private void HandleResign(RaftNode node, ResignEvent resign)
    {
        if (node.Role != RaftRole.Leader)
        {
            resign.Completion.TrySetResult(Task.CompletedTask);
            return;
        }

        var sends = ProcessOutput(node.Resign(Now()));
        resign.Completion.TrySetResult(Task.WhenAll(sends));
    }

    /// <summary>Sends the node's requests and hands an installed snapshot to the state machine.</summary>
    private List<Task> ProcessOutput(RaftOutput output)
    {
        var sends = new List<Task>(output.Messages.Count);
        foreach (var message in output.Messages)
        {
            sends.Add(SendAsync(message));
        }

        if (output.InstalledSnapshot is { } id && _log.TryReadSnapshot(id, out var state))
        {
            LogSnapshotInstalled(id.EndOffset, id.Epoch);
            _stateMachine.LoadSnapshot(id, state);
            _delivered = id.EndOffset;
        }

        return sends;
    }

    /// <summary>Sends one request and posts its answer, or after a short backoff a failure answer, back to the loop.</summary>
    private async Task SendAsync(RaftMessage message)
    {
        var request = (IApiRequest)message.Body;
        var timeout = _options.Raft.RequestTimeoutMs;
        if (request is FetchRequest fetch)
        {
            fetch.MaxWaitMs = _options.FetchMaxWaitMs;
            timeout += _options.FetchMaxWaitMs;
        }

        IApiResponse? response;
        try
        {
            response = await _transport.SendAsync(message.Destination, request, TimeSpan.FromMilliseconds(timeout), _stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            return;
        }
#pragma warning disable CA1031 // any transport failure means "no answer"; the node resends
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogSendFailed(request.ApiKey, message.Destination, ex.Message);
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(_options.RetryBackoffMs), _time, _stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            response = RaftFailureResponses.For(request, ErrorCode.NetworkException);
        }

        if (response is not null)
        {
            _events.Writer.TryWrite(new ResponseEvent(new RaftMessage(message.Destination, NodeId, response)));
        }
    }

    /// <summary>
    /// After a batch of events: deliver newly committed batches, settle appends, re-answer held
    /// fetches when something they wait for happened, and publish the status.
    /// </summary>
    private void AfterStep(RaftNode node, RaftStatus before)
    {
        try
        {
            DeliverCommitted(node);
            SettleAppends(node);
            var leadershipChanged = node.Role != before.Role || node.Epoch != before.Epoch;
            if (leadershipChanged)
            {
                _highWatermarkSent.Clear();
            }

            if (leadershipChanged || node.HighWatermark != before.HighWatermark || node.Log.EndOffset != before.LogEndOffset)
            {
                RecheckHeldFetches(node, force: node.Role != RaftRole.Leader);
            }

            PublishStatus(node);
        }
#pragma warning disable CA1031 // reported; the next step retries delivery
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogEventFailed(ex, nameof(AfterStep));
        }
    }

    private void DeliverCommitted(RaftNode node)
    {
        var highWatermark = node.HighWatermark;
        while (_delivered < highWatermark)
        {
            var bytes = node.Log.Read(_delivered, _options.Raft.MaxFetchBytes);
            var (length, end) = WholeBatchesBelow(bytes.Span, highWatermark);
            if (length == 0)
            {
                return;
            }

            _stateMachine.ApplyCommitted(bytes[..length], end);
            _delivered = end;
        }
    }

    /// <summary>The byte length and end offset of the leading batches that lie wholly below <paramref name="limit"/>.</summary>
    private static (int Length, long End) WholeBatchesBelow(ReadOnlySpan<byte> batches, long limit)
    {
        var position = 0;
        long end = -1;
        while (position + Tributary.Protocol.Records.RecordBatchHeader.LogOverhead <= batches.Length)
        {
            var rest = batches[position..];
            var size = Tributary.Protocol.Records.RecordBatchHeader.TotalSize(rest);
            if (size > rest.Length)
            {
                break;
            }

            var last = Tributary.Protocol.Records.RecordBatchHeader.LastOffset(rest);
            if (last >= limit)
            {
                break;
            }

            end = last + 1;
            position += size;
        }

        return (position, end);
    }

    private void SettleAppends(RaftNode node)
    {
        for (var i = _pendingAppends.Count - 1; i >= 0; i--)
        {
            var pending = _pendingAppends[i];
            if (node.Role != RaftRole.Leader || node.Epoch != pending.Epoch)
            {
                pending.Completion.TrySetException(NotController(node));
                _pendingAppends.RemoveAt(i);
            }
            else if (_delivered > pending.LastOffset)
            {
                pending.Completion.TrySetResult(pending.LastOffset);
                _pendingAppends.RemoveAt(i);
            }
        }
    }

    /// <summary>
    /// KRaft's long poll: an error, records, a divergence or snapshot pointer, or a high watermark the
    /// replica has not been told yet is answered at once; an empty answer waits.
    /// </summary>
    private bool ShouldHold(RaftNode node, FetchRequest fetch, FetchResponse response, RaftOutput output)
    {
        if (fetch.MaxWaitMs <= 0 || node.Role != RaftRole.Leader || output.HighWatermark is not null
            || response.ErrorCode != 0 || response.Responses is not [{ Partitions: [var answer] }])
        {
            return false;
        }

        return answer.ErrorCode == 0
            && answer.Records is not { Length: > 0 }
            && answer.DivergingEpoch.Epoch < 0
            && answer.SnapshotId.Epoch < 0
            && answer.HighWatermark <= _highWatermarkSent.GetValueOrDefault(FetcherId(fetch), -1);
    }

    private void CompleteFetch(FetchRequest fetch, FetchResponse response, TaskCompletionSource<IApiResponse> completion)
    {
        if (response.Responses is [{ Partitions: [var answer] }] && answer.ErrorCode == 0 && answer.HighWatermark >= 0)
        {
            var fetcher = FetcherId(fetch);
            _highWatermarkSent[fetcher] = Math.Max(answer.HighWatermark, _highWatermarkSent.GetValueOrDefault(fetcher, -1));
        }

        completion.TrySetResult(response);
    }

    private static int FetcherId(FetchRequest fetch) => fetch.ReplicaState.ReplicaId >= 0 ? fetch.ReplicaState.ReplicaId : fetch.ReplicaId;

    /// <summary>Re-answers every held fetch; those with news (or all, when <paramref name="force"/>) are completed.</summary>
    private void RecheckHeldFetches(RaftNode node, bool force)
    {
        if (_heldFetches.Count == 0)
        {
            return;
        }

        var now = Now();
        var held = _heldFetches.ToArray();
        _heldFetches.Clear();
        foreach (var fetch in held)
        {
            if (fetch.Completion.Task.IsCompleted)
            {
                continue; // the caller gave up
            }

            var output = node.Handle(now, new RaftMessage(-1, NodeId, fetch.Request));
            ProcessOutput(output);
            var response = (FetchResponse)output.Response!;
            if (!force && now < fetch.Deadline && ShouldHold(node, fetch.Request, response, output))
            {
                _heldFetches.Add(fetch);
            }
            else
            {
                CompleteFetch(fetch.Request, response, fetch.Completion);
            }
        }
    }

    private void ExpireHeldFetches(RaftNode node)
    {
        var now = Now();
        foreach (var fetch in _heldFetches)
        {
            if (now >= fetch.Deadline)
            {
                RecheckHeldFetches(node, force: false);
                return;
            }
        }
    }

    private void PublishStatus(RaftNode node)
    {
        var previous = Status;
        var next = new RaftStatus(NodeId, node.Role, node.Epoch, node.LeaderId, node.HighWatermark, node.Log.EndOffset,
            node.Role == RaftRole.Leader ? node.EpochStartOffset : -1);
        if (next == previous)
        {
            return;
        }

        Volatile.Write(ref _status, next);
        if (next.Role != previous.Role || next.Epoch != previous.Epoch || next.LeaderId != previous.LeaderId)
        {
            LogStateChanged(next.Role, next.Epoch, next.LeaderId, next.HighWatermark);
        }

        _stateMachine.StatusChanged(next);
    }

    /// <summary>The Raft core keeps monotonic milliseconds; DescribeQuorum reports wall-clock times.</summary>
    private void ToWallClock(RaftNode node, DescribeQuorumResponse response, long now)
    {
        foreach (var topic in response.Topics)
        {
            foreach (var partition in topic.Partitions)
            {
                foreach (var replica in partition.CurrentVoters.Concat(partition.Observers))
                {
                    if (replica.ReplicaId == NodeId)
                    {
                        replica.LastFetchTimestamp = _wallClockAtStart + now;
                    }
                    else if (replica.LastFetchTimestamp >= 0)
                    {
                        replica.LastFetchTimestamp += _wallClockAtStart;
                    }

                    // The core does not track catch-up times; a replica at the high watermark was caught up when it last fetched.
                    replica.LastCaughtUpTimestamp = replica.LogEndOffset >= node.HighWatermark && replica.LastFetchTimestamp >= 0
                        ? replica.LastFetchTimestamp
                        : -1;
                }
            }
        }
    }

    private static NotControllerException NotController(RaftNode node) =>
        new($"node {node.NodeId} is not the metadata quorum leader (role {node.Role}, epoch {node.Epoch}, leader {node.LeaderId})")
        {
            KnownLeaderId = node.Role == RaftRole.Resigned ? -1 : node.LeaderId,
        };

    private void FailEverything()
    {
        var stopped = new NotControllerException("the metadata quorum is shut down");
        foreach (var pending in _pendingAppends)
        {
            pending.Completion.TrySetException(stopped);
        }

        _pendingAppends.Clear();
        foreach (var fetch in _heldFetches)
        {
            fetch.Completion.TrySetCanceled();
        }

        _heldFetches.Clear();
        while (_events.Reader.TryRead(out var e))
        {
            e.Fail(stopped);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Metadata quorum: now {Role} in epoch {Epoch}, leader {LeaderId}, high watermark {HighWatermark}")]
    private partial void LogStateChanged(RaftRole role, int epoch, int leaderId, long highWatermark);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Metadata quorum: {ApiKey} to node {NodeId} failed: {Reason}")]
    private partial void LogSendFailed(ApiKey apiKey, int nodeId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Metadata quorum: processing {Event} failed")]
    private partial void LogEventFailed(Exception exception, string @event);

    [LoggerMessage(Level = LogLevel.Information, Message = "Metadata quorum: snapshot at offset {EndOffset} (epoch {Epoch}, {Bytes} bytes) written, log trimmed")]
    private partial void LogSnapshotCreated(long endOffset, int epoch, int bytes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Metadata quorum: installed the leader's snapshot ending at offset {EndOffset} (epoch {Epoch})")]
    private partial void LogSnapshotInstalled(long endOffset, int epoch);
}
