using Microsoft.Extensions.Logging;
using Tributary.Broker.Groups;
using Tributary.Broker.Partitions;
using Tributary.Protocol;

namespace Tributary.Broker.Coordination;

/// <summary>
/// The runtime around one <see cref="GroupCoordinator"/> that owns one <c>__consumer_offsets</c>
/// partition led by this broker: loads it from the log, serialises every call through an async
/// gate, appends the records each call emits (one batch, before any response is released),
/// parks JoinGroup/SyncGroup callers until the core answers them, and fires the core's timers.
/// </summary>
/// <remarks>
/// The gate is held across the append (awaited, no thread blocked), so calls apply to the log in
/// the order they apply in memory and nothing a later call reads is ever ahead of the log.
/// If an append fails the in-memory state is ahead of the log: the shard answers every waiting
/// caller, closes, and the service loads a fresh shard from the log (when still leader).
/// </remarks>
internal sealed partial class CoordinatorShard
{
    private const int StateLoading = 0;
    private const int StateActive = 1;
    private const int StateClosed = 2;

    /// <summary>Timers are re-armed at least this often, well under ITimer's ~49-day limit.</summary>
    private const long MaxTimerDelayMs = 24L * 60 * 60 * 1000;

    private static long s_nextToken;

    private readonly GroupCoordinator _core;
    private readonly IInternalTopicLog _log;
    private readonly TimeProvider _time;
    private readonly GroupCoordinatorOptions _options;
    private readonly ILogger _logger;
    private readonly Action<CoordinatorShard> _onFailed;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _closing = new();

    // Parked JoinGroup/SyncGroup callers by token; touched only under the gate.
    private readonly Dictionary<long, TaskCompletionSource<JoinGroupResult>> _joins = [];
    private readonly Dictionary<long, TaskCompletionSource<SyncGroupResult>> _syncs = [];

    private ITimer? _timer;
    private long _timerDueMs = long.MaxValue;
    private int _state = StateLoading;

    public CoordinatorShard(int partition, GroupCoordinatorConfig config, IInternalTopicLog log, TimeProvider time,
        GroupCoordinatorOptions options, ILogger logger, Action<CoordinatorShard> onFailed)
    {
        Partition = partition;
        _core = new GroupCoordinator(config, time);
        _log = log;
        _time = time;
        _options = options;
        _logger = logger;
        _onFailed = onFailed;
    }

    public int Partition { get; }

    public CoordinatorPartitionState State => Volatile.Read(ref _state) switch
    {
        StateLoading => CoordinatorPartitionState.Loading,
        StateActive => CoordinatorPartitionState.Active,
        _ => CoordinatorPartitionState.Closed,
    };

    /// <summary>Completes when the load finished (or gave up because the shard closed).</summary>
    public Task Loaded { get; private set; } = Task.CompletedTask;

    private long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    // ------------------------------------------------------------ loading

    /// <summary>Starts replaying the partition on the thread pool (the log read is synchronous I/O).</summary>
    public void StartLoad() => Loaded = Task.Run(LoadAsync);

    private async Task LoadAsync()
    {
        while (true)
        {
            if (Volatile.Read(ref _state) != StateLoading)
            {
                return;
            }

            try
            {
                // Nothing else touches the core while loading: calls see the Loading state first.
                _core.BeginLoad(Partition);
                var chunks = _log.ReadCommitted(GroupCoordinatorService.OffsetsTopic, Partition, 0);
                var (applied, skipped) = GroupLogReplay.Replay(_core, Partition, chunks, _closing.Token);
                LogLoaded(Partition, applied, skipped);
                break;
            }
            catch (OperationCanceledException) when (_closing.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // any failure to read the log is retried while this broker stays leader
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogLoadFailed(ex, Partition, _options.LoadRetryBackoffMs);
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(_options.LoadRetryBackoffMs), _time, _closing.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }

        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (Volatile.Read(ref _state) != StateLoading)
            {
                return;
            }

            _core.CompleteLoad(Partition);
            _timer = _time.CreateTimer(static s => ((CoordinatorShard)s!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            if (Interlocked.CompareExchange(ref _state, StateActive, StateLoading) != StateLoading)
            {
                _timer.Dispose();
                return;
            }

            Reschedule();
        }
        finally
        {
            _gate.Release();
        }
    }

    // ------------------------------------------------------------ calls

    /// <summary>The error for a call that cannot run now, or None when the shard serves calls.</summary>
    private ErrorCode Unavailable() => Volatile.Read(ref _state) switch
    {
        StateActive => ErrorCode.None,
        StateLoading => ErrorCode.CoordinatorLoadInProgress,
        _ => ErrorCode.NotCoordinator,
    };

    /// <summary>
    /// Runs <paramref name="operation"/> on the core under the gate, appends the records it
    /// emitted, then releases the responses it produced. <paramref name="unavailable"/> builds the
    /// answer when the shard is not serving or the append failed (with the mapped error).
    /// </summary>
    public async ValueTask<T> ExecuteAsync<T>(
        Func<GroupCoordinator, GroupResult<T>> operation,
        Func<ErrorCode, T> unavailable,
        CallKind kind,
        CancellationToken ct)
    {
        var error = Unavailable();
        if (error != ErrorCode.None)
        {
            return unavailable(error);
        }

        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            error = Unavailable();
            if (error != ErrorCode.None)
            {
                return unavailable(error);
            }

            var result = operation(_core);
            error = await ApplyAsync(result.Actions, kind == CallKind.OffsetCommit).ConfigureAwait(false);
            if (error != ErrorCode.None)
            {
                return unavailable(error);
            }

            // A read may still have fired passed deadlines (the core does so before any call
            // about a group), which can start new ones: re-arm whenever it had side effects.
            if (kind != CallKind.ReadOnly || !result.Actions.IsEmpty)
            {
                Reschedule();
            }

            return result.Response;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>JoinGroup: the response may come now or from a later call/timer (another member joining, the rebalance timeout).</summary>
    public async ValueTask<JoinGroupResult> JoinAsync(JoinGroupRequest request, CancellationToken ct)
    {
        var token = Interlocked.Increment(ref s_nextToken);
        var waiter = new TaskCompletionSource<JoinGroupResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var error = await ExecuteAsync(
            core =>
            {
                _joins[token] = waiter;
                return new GroupResult<ErrorCode>(ErrorCode.None, core.JoinGroup(token, request));
            },
            static e => e,
            CallKind.Write,
            ct).ConfigureAwait(false);
        if (error != ErrorCode.None)
        {
            // Not run, or answered already by the append-failure path (then this is a no-op).
            waiter.TrySetResult(JoinGroupResult.Failure(request.MemberId, error));
        }

        return await waiter.Task.WaitAsync(ct).ConfigureAwait(false);
    }

    /// <summary>SyncGroup: followers wait for the leader's assignment (or the sync timeout).</summary>
    public async ValueTask<SyncGroupResult> SyncAsync(SyncGroupRequest request, CancellationToken ct)
    {
        var token = Interlocked.Increment(ref s_nextToken);
        var waiter = new TaskCompletionSource<SyncGroupResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var error = await ExecuteAsync(
            core =>
            {
                _syncs[token] = waiter;
                return new GroupResult<ErrorCode>(ErrorCode.None, core.SyncGroup(token, request));
            },
            static e => e,
            CallKind.Write,
            ct).ConfigureAwait(false);
        if (error != ErrorCode.None)
        {
            waiter.TrySetResult(SyncGroupResult.Failure(error));
        }

        return await waiter.Task.WaitAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Appends the records (if any), then answers the parked callers. Under the gate.</summary>
    private async ValueTask<ErrorCode> ApplyAsync(GroupActions actions, bool offsetCommit)
    {
        if (actions.Records.Count > 0)
        {
            var appendError = await AppendAsync(actions.Records).ConfigureAwait(false);
            if (appendError != ErrorCode.None)
            {
                var error = AppendErrors.Map(appendError, offsetCommit);
                FailAfterAppend(actions, error);
                return error;
            }
        }

        Complete(actions);
        return ErrorCode.None;
    }

    private async ValueTask<ErrorCode> AppendAsync(IReadOnlyList<GroupRecord> records)
    {
        var batch = GroupRecordBatch.Build(records, NowMs);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(_options.CommitTimeoutMs), _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, _closing.Token);
        try
        {
            var (error, _) = await _log.AppendAsync(GroupCoordinatorService.OffsetsTopic, Partition, batch, linked.Token).ConfigureAwait(false);
            if (error != ErrorCode.None)
            {
                LogAppendFailed(null, Partition, error);
            }

            return error;
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
            // Closing means leadership moved; otherwise the commit timeout passed.
            var error = _closing.IsCancellationRequested ? ErrorCode.NotLeaderOrFollower : ErrorCode.RequestTimedOut;
            LogAppendFailed(null, Partition, error);
            return error;
        }
#pragma warning disable CA1031 // a throwing log is an append failure like any other: answer the callers, reload
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogAppendFailed(ex, Partition, ErrorCode.UnknownServerError);
            return ErrorCode.UnknownServerError;
        }
    }

    private void Complete(GroupActions actions)
    {
        foreach (var join in actions.Joins)
        {
            if (_joins.Remove(join.Token, out var waiter))
            {
                waiter.TrySetResult(join.Result);
            }
        }

        foreach (var sync in actions.Syncs)
        {
            if (_syncs.Remove(sync.Token, out var waiter))
            {
                waiter.TrySetResult(sync.Result);
            }
        }
    }

    /// <summary>
    /// The log did not take the records: the callers of this operation get <paramref name="error"/>,
    /// everyone else parked gets NOT_COORDINATOR, and the shard closes so that a fresh one is
    /// loaded from the log (which holds the last durable state).
    /// </summary>
    private void FailAfterAppend(GroupActions actions, ErrorCode error)
    {
        foreach (var join in actions.Joins)
        {
            if (_joins.Remove(join.Token, out var waiter))
            {
                waiter.TrySetResult(JoinGroupResult.Failure(join.Result.MemberId, error));
            }
        }

        foreach (var sync in actions.Syncs)
        {
            if (_syncs.Remove(sync.Token, out var waiter))
            {
                waiter.TrySetResult(SyncGroupResult.Failure(error));
            }
        }

        if (Interlocked.Exchange(ref _state, StateClosed) != StateClosed)
        {
            ShutDownUnderGate();
            _onFailed(this);
        }
    }

    // ------------------------------------------------------------ timers

    /// <summary>Arms the timer for the core's next deadline if that is earlier than the armed one. Under the gate.</summary>
    private void Reschedule()
    {
        if (_timer is null)
        {
            return;
        }

        var next = _core.NextDeadlineMs;
        if (next >= _timerDueMs)
        {
            return;
        }

        _timerDueMs = next;
        var delay = Math.Clamp(next - NowMs, 0, MaxTimerDelayMs);
        _timer.Change(TimeSpan.FromMilliseconds(delay), Timeout.InfiniteTimeSpan);
    }

    private void OnTimer() => _ = TickAsync();

    private async Task TickAsync()
    {
        try
        {
            await _gate.WaitAsync(_closing.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        try
        {
            if (Volatile.Read(ref _state) != StateActive)
            {
                return;
            }

            // The timer is one-shot and has fired: re-arm from scratch after the tick.
            _timerDueMs = long.MaxValue;
            var actions = _core.OnTick();
            await ApplyAsync(actions, offsetCommit: false).ConfigureAwait(false);
            if (Volatile.Read(ref _state) == StateActive)
            {
                Reschedule();
            }
        }
#pragma warning disable CA1031 // a timer callback has no caller to report to; log and keep the shard alive
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogTickFailed(ex, Partition);
            if (Volatile.Read(ref _state) == StateActive)
            {
                Reschedule();
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    // ------------------------------------------------------------ closing

    /// <summary>
    /// Stops serving (leadership moved or the service stops): parked JoinGroup/SyncGroup callers
    /// get NOT_COORDINATOR and later calls are refused with it. Safe to call more than once.
    /// </summary>
    public async Task CloseAsync()
    {
        var previous = Interlocked.Exchange(ref _state, StateClosed);
        if (previous == StateClosed)
        {
            return;
        }

        // Stops a load in progress, and an append waiting on replication (the caller then gets NOT_COORDINATOR).
        await _closing.CancelAsync().ConfigureAwait(false);
        if (previous == StateLoading)
        {
            return;
        }

        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            ShutDownUnderGate();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Unloads the core and answers everyone still parked. Under the gate, state already Closed.</summary>
    private void ShutDownUnderGate()
    {
        _timer?.Dispose();
        _timer = null;
        Complete(_core.Unload(Partition));
        foreach (var waiter in _joins.Values)
        {
            waiter.TrySetResult(JoinGroupResult.Failure(string.Empty, ErrorCode.NotCoordinator));
        }

        foreach (var waiter in _syncs.Values)
        {
            waiter.TrySetResult(SyncGroupResult.Failure(ErrorCode.NotCoordinator));
        }

        _joins.Clear();
        _syncs.Clear();
        if (!_closing.IsCancellationRequested)
        {
            _closing.Cancel();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded __consumer_offsets-{Partition}: {Applied} records applied, {Skipped} skipped")]
    private partial void LogLoaded(int partition, int applied, int skipped);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Loading __consumer_offsets-{Partition} failed; retrying in {BackoffMs} ms")]
    private partial void LogLoadFailed(Exception ex, int partition, int backoffMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Append to __consumer_offsets-{Partition} failed with {Error}; reloading the partition from its log")]
    private partial void LogAppendFailed(Exception? ex, int partition, ErrorCode error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Group coordinator timer on __consumer_offsets-{Partition} failed")]
    private partial void LogTickFailed(Exception ex, int partition);
}
