using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tributary.Broker.Metadata;
using Tributary.Protocol;
using Tributary.Protocol.Messages;

namespace Tributary.Broker.Cluster;

/// <summary>
/// A broker's side of the registration protocol (Kafka's BrokerLifecycleManager): registers with
/// the active controller (retrying until accepted), then heartbeats every
/// <see cref="BrokerLifecycleOptions.HeartbeatInterval"/> with the offset of the metadata it has
/// replayed. The controller registers brokers fenced and unfences them once they have caught up;
/// <see cref="Unfenced"/> completes then, and the broker may serve partitions and report ready.
/// A controller that answers STALE_BROKER_EPOCH or BROKER_ID_NOT_REGISTERED has lost this
/// registration (it fenced and removed it): the broker registers again with a new epoch.
/// <see cref="ControlledShutdownAsync"/> heartbeats with WantShutDown until the controller has moved
/// partition leadership away (ShouldShutDown).
/// </summary>
public sealed partial class BrokerLifecycleManager : IAsyncDisposable
{
    private readonly BrokerLifecycleOptions _options;
    private readonly IControllerChannel _channel;
    private readonly IMetadataView _metadata;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _unfenced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _shutdownGranted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly Lock _gate = new();
    private Task _loop = Task.CompletedTask;
    private long _brokerEpoch = -1;
    private long _previousEpoch = -1;
    private bool _registered;
    private bool _fenced = true;
    private bool _caughtUp;
    private bool _wantShutdown;
    private BrokerLifecycleState _state = BrokerLifecycleState.Starting;
    private int _started;

    public BrokerLifecycleManager(BrokerLifecycleOptions options, IControllerChannel channel, IMetadataView metadata,
        ILogger<BrokerLifecycleManager>? logger = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(metadata);
        _options = options;
        _channel = channel;
        _metadata = metadata;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The epoch the controller gave this registration (the offset of its RegisterBrokerRecord); -1 before registering.</summary>
    public long BrokerEpoch
    {
        get
        {
            lock (_gate)
            {
                return _registered ? _brokerEpoch : -1;
            }
        }
    }

    public bool IsFenced
    {
        get
        {
            lock (_gate)
            {
                return _fenced;
            }
        }
    }

    /// <summary>The controller's view: this broker's metadata has caught up with its registration.</summary>
    public bool IsCaughtUp
    {
        get
        {
            lock (_gate)
            {
                return _caughtUp;
            }
        }
    }

    public BrokerLifecycleState State
    {
        get
        {
            lock (_gate)
            {
                return _state;
            }
        }
    }

    /// <summary>Completes the first time the controller unfences this broker.</summary>
    public Task Unfenced => _unfenced.Task;

    /// <summary>Raised (off any lock) whenever <see cref="State"/>, the epoch or fencing changed.</summary>
    public event Action? StateChanged;

    /// <summary>Starts registering and heartbeating in the background.</summary>
    public void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("the lifecycle manager was already started");
        }

        _metadata.Changed += OnMetadataChanged;
        _loop = Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);
    }

    /// <summary>
    /// Asks the controller to move this broker's partition leadership away: heartbeats with
    /// WantShutDown until it answers ShouldShutDown (returns true) or <paramref name="timeout"/>
    /// passes (returns false; the broker then shuts down anyway, as Kafka does). Returns false at
    /// once when the broker never registered: there is nothing to hand over.
    /// </summary>
    public async Task<bool> ControlledShutdownAsync(TimeSpan timeout, CancellationToken ct)
    {
        lock (_gate)
        {
            if (!_registered || Volatile.Read(ref _started) == 0)
            {
                return false;
            }

            _wantShutdown = true;
            if (_state != BrokerLifecycleState.ShuttingDown)
            {
                _state = BrokerLifecycleState.PendingControlledShutdown;
            }
        }

        RaiseStateChanged();
        Wake();
        try
        {
            await _shutdownGranted.Task.WaitAsync(timeout, _time, ct).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            LogControlledShutdownTimedOut(timeout.TotalMilliseconds);
            return false;
        }
    }

    private async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            TimeSpan wait;
            try
            {
                wait = NeedsRegistration() ? await RegisterAsync(stop).ConfigureAwait(false) : await HeartbeatAsync(stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is TimeoutException or Client.KafkaException)
            {
                // No controller answered in time: keep trying at the heartbeat pace.
                LogControllerUnreachable(e.Message);
                wait = _options.HeartbeatInterval;
            }

            try
            {
                await _wake.WaitAsync(wait, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private bool NeedsRegistration()
    {
        lock (_gate)
        {
            return !_registered;
        }
    }

    /// <summary>One registration attempt; returns how long to wait before the next step.</summary>
    private async Task<TimeSpan> RegisterAsync(CancellationToken stop)
    {
        var request = new BrokerRegistrationRequest
        {
            BrokerId = _options.NodeId,
            ClusterId = _options.ClusterId,
            IncarnationId = _options.IncarnationId,
            Rack = _options.Rack,
            Listeners = [.. _options.Listeners],
            Features = [new BrokerRegistrationRequest.Feature
            {
                Name = "metadata.version",
                MinSupportedVersion = _options.MinMetadataVersion,
                MaxSupportedVersion = _options.MaxMetadataVersion,
            }],
            LogDirs = [.. _options.LogDirs],
            PreviousBrokerEpoch = Interlocked.Read(ref _previousEpoch),
        };
        var response = (BrokerRegistrationResponse)await _channel.SendAsync(request, _options.RequestTimeout, stop).ConfigureAwait(false);
        var error = (ErrorCode)response.ErrorCode;
        if (error != ErrorCode.None)
        {
            // DUPLICATE_BROKER_REGISTRATION clears once the controller's session for the previous
            // incarnation expires; INCONSISTENT_CLUSTER_ID needs an operator, but retrying is harmless.
            LogRegistrationRefused(_options.NodeId, error);
            return _options.RegistrationRetryBackoff;
        }

        lock (_gate)
        {
            _registered = true;
            _brokerEpoch = response.BrokerEpoch;
            _previousEpoch = response.BrokerEpoch;
            _fenced = true;
            _caughtUp = false;
            _state = _wantShutdown ? BrokerLifecycleState.PendingControlledShutdown : BrokerLifecycleState.Recovery;
        }

        LogRegistered(_options.NodeId, response.BrokerEpoch, _options.IncarnationId);
        RaiseStateChanged();
        return TimeSpan.Zero; // heartbeat right away: the controller unfences on a heartbeat
    }

    /// <summary>One heartbeat; returns how long to wait before the next.</summary>
    private async Task<TimeSpan> HeartbeatAsync(CancellationToken stop)
    {
        long epoch;
        bool wantShutdown;
        lock (_gate)
        {
            epoch = _brokerEpoch;
            wantShutdown = _wantShutdown;
        }

        var request = new BrokerHeartbeatRequest
        {
            BrokerId = _options.NodeId,
            BrokerEpoch = epoch,
            CurrentMetadataOffset = _metadata.Current.Offset,
            WantFence = false,
            WantShutDown = wantShutdown,
        };
        var response = (BrokerHeartbeatResponse)await _channel.SendAsync(request, _options.RequestTimeout, stop).ConfigureAwait(false);
        var error = (ErrorCode)response.ErrorCode;
        if (error is ErrorCode.StaleBrokerEpoch or ErrorCode.BrokerIdNotRegistered)
        {
            lock (_gate)
            {
                // Only if no newer registration raced in meanwhile.
                if (_brokerEpoch == epoch)
                {
                    _registered = false;
                    _fenced = true;
                    _caughtUp = false;
                    _state = _wantShutdown ? BrokerLifecycleState.PendingControlledShutdown : BrokerLifecycleState.Starting;
                }
            }

            LogRegistrationLost(_options.NodeId, epoch, error);
            RaiseStateChanged();
            return TimeSpan.Zero;
        }

        if (error != ErrorCode.None)
        {
            LogHeartbeatFailed(_options.NodeId, error);
            return _options.HeartbeatInterval;
        }

        bool changed;
        bool unfencedNow;
        bool granted;
        lock (_gate)
        {
            var before = (_fenced, _caughtUp, _state);
            _fenced = response.IsFenced;
            _caughtUp = response.IsCaughtUp;
            granted = _wantShutdown && response.ShouldShutDown;
            _state = granted ? BrokerLifecycleState.ShuttingDown
                : _wantShutdown ? BrokerLifecycleState.PendingControlledShutdown
                : _fenced ? BrokerLifecycleState.Recovery
                : BrokerLifecycleState.Running;
            unfencedNow = !_fenced;
            changed = before != (_fenced, _caughtUp, _state);
        }

        if (unfencedNow && _unfenced.TrySetResult())
        {
            LogUnfenced(_options.NodeId, epoch);
        }

        if (granted && _shutdownGranted.TrySetResult())
        {
            LogControlledShutdownGranted(_options.NodeId);
        }

        if (changed)
        {
            RaiseStateChanged();
        }

        return _options.HeartbeatInterval;
    }

    /// <summary>A fenced broker heartbeats as soon as it has replayed past its registration, so unfencing is not a heartbeat late.</summary>
    private void OnMetadataChanged(MetadataImage previous, MetadataImage current)
    {
        bool wake;
        lock (_gate)
        {
            wake = _registered && _fenced && previous.Offset < _brokerEpoch && current.Offset >= _brokerEpoch;
        }

        if (wake)
        {
            Wake();
        }
    }

    private void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already woken: one pending wake-up is enough.
        }
        catch (ObjectDisposedException)
        {
            // Stopped.
        }
    }

    private void RaiseStateChanged() => StateChanged?.Invoke();

    /// <summary>Stops heartbeating (the controller fences this broker once its session times out).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        _metadata.Changed -= OnMetadataChanged;
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stopping.Dispose();
        _wake.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Broker {NodeId} registered with the controller: epoch {Epoch}, incarnation {Incarnation}")]
    private partial void LogRegistered(int nodeId, long epoch, Guid incarnation);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The controller refused the registration of broker {NodeId}: {Error}; retrying")]
    private partial void LogRegistrationRefused(int nodeId, ErrorCode error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The controller no longer knows broker {NodeId} at epoch {Epoch} ({Error}); registering again")]
    private partial void LogRegistrationLost(int nodeId, long epoch, ErrorCode error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Heartbeat of broker {NodeId} failed: {Error}")]
    private partial void LogHeartbeatFailed(int nodeId, ErrorCode error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No active controller reachable: {Reason}")]
    private partial void LogControllerUnreachable(string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Broker {NodeId} unfenced at epoch {Epoch}")]
    private partial void LogUnfenced(int nodeId, long epoch);

    [LoggerMessage(Level = LogLevel.Information, Message = "Controlled shutdown of broker {NodeId} granted: leadership moved away")]
    private partial void LogControlledShutdownGranted(int nodeId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Controlled shutdown not granted within {TimeoutMs} ms; shutting down anyway")]
    private partial void LogControlledShutdownTimedOut(double timeoutMs);
}
