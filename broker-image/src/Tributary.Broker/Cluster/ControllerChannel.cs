using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tributary.Broker.Config;
using Tributary.Broker.Metadata;
using Tributary.Client;
using Tributary.Client.Network;
using Tributary.Protocol.Messages;

namespace Tributary.Broker.Cluster;

/// <summary>
/// Sends requests to the active controller over <see cref="Tributary.Client"/> connections, one per
/// controller, reopened when closed. Each attempt goes to the leader the quorum view names (when it
/// is a known voter), else to the controller that last answered, else to the next voter in turn.
/// NOT_CONTROLLER (top level or per item) and connection failures lead to a short jittered pause and
/// another attempt, until the caller's timeout; any other answer, errors included, is returned as is.
/// </summary>
public sealed partial class ControllerChannel : IControllerChannel, IAsyncDisposable
{
    private readonly IReadOnlyList<ControllerEndpoint> _controllers;
    private readonly IQuorumView? _quorum;
    private readonly IKafkaConnectionFactory _factory;
    private readonly ControllerChannelOptions _options;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly ILogger _logger;
    private readonly Slot[] _slots;
    private readonly CancellationTokenSource _disposing = new();
    private int _lastAnswered = -1; // index into _controllers
    private int _roundRobin = -1;
    private int _disposed;

    public ControllerChannel(IReadOnlyList<ControllerEndpoint> controllers, IQuorumView? quorum, ControllerChannelOptions? options = null,
        IKafkaConnectionFactory? factory = null, ILogger<ControllerChannel>? logger = null, TimeProvider? time = null, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(controllers);
        if (controllers.Count == 0)
        {
            throw new ArgumentException("at least one controller endpoint is needed", nameof(controllers));
        }

        _controllers = controllers;
        _quorum = quorum;
        _options = options ?? new ControllerChannelOptions();
        _factory = factory ?? new KafkaConnectionFactory(new ClientOptions
        {
            ClientId = _options.ClientId,
            ConnectTimeout = _options.ConnectTimeout,
            RequestTimeout = _options.RequestTimeout,
        });
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _time = time ?? TimeProvider.System;
        _random = random ?? Random.Shared;
        _slots = [.. controllers.Select(_ => new Slot())];
    }

    /// <summary>
    /// The controllers of <paramref name="config"/>: its quorum voters, or (without voters) its
    /// <c>controller.quorum.bootstrap.servers</c> with unknown ids.
    /// </summary>
    public static IReadOnlyList<ControllerEndpoint> EndpointsFrom(BrokerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.QuorumVoters.Count > 0)
        {
            return [.. config.QuorumVoters.Select(v => new ControllerEndpoint(v.Id, v.Host, v.Port))];
        }

        return [.. config.QuorumBootstrapServers.Select((s, i) =>
        {
            var (host, port) = HostPort.Parse(s, "controller.quorum.bootstrap.servers", s);
            return new ControllerEndpoint(-1 - i, host, port);
        })];
    }

    public async Task<IApiResponse> SendAsync(IApiRequest request, TimeSpan timeout, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, _disposing.Token);
        var started = _time.GetTimestamp();
        var failed = -1;
        Exception? lastError = null;
        while (true)
        {
            var remaining = timeout - _time.GetElapsedTime(started);
            if (remaining <= TimeSpan.Zero)
            {
                throw new TimeoutException($"no active controller answered {request.ApiKey} within {timeout.TotalMilliseconds:0} ms", lastError);
            }

            var index = Pick(failed);
            var target = _controllers[index];
            try
            {
                var response = await AttemptAsync(index, request, remaining, linked.Token).ConfigureAwait(false);
                if (!ControllerResponses.IsNotController(response))
                {
                    Volatile.Write(ref _lastAnswered, index);
                    return response;
                }

                LogNotController(target.ToString(), request.ApiKey);
                lastError = new KafkaException(Protocol.ErrorCode.NotController, $"{target} is not the active controller");
            }
            catch (KafkaException e)
            {
                LogAttemptFailed(target.ToString(), request.ApiKey, e.Message);
                lastError = e;
                await DropAsync(index).ConfigureAwait(false);
            }
            catch (OperationCanceledException e) when (!ct.IsCancellationRequested && !_disposing.IsCancellationRequested)
            {
                // The per-attempt limit ran out (connect or response): try elsewhere.
                lastError = e;
                await DropAsync(index).ConfigureAwait(false);
            }

            if (Volatile.Read(ref _lastAnswered) == index)
            {
                Volatile.Write(ref _lastAnswered, -1);
            }

            failed = index;
            await Task.Delay(Backoff(), _time, linked.Token).ConfigureAwait(false);
        }
    }

    /// <summary>One try against one controller, bounded by both the per-attempt limits and the caller's remaining time.</summary>
    private async Task<IApiResponse> AttemptAsync(int index, IApiRequest request, TimeSpan remaining, CancellationToken ct)
    {
        var connection = await ConnectionAsync(index, Min(remaining, _options.ConnectTimeout), ct).ConfigureAwait(false);
        var info = ApiKeys.Get(request.ApiKey);
        var version = connection.Versions.Select(request.ApiKey, info.LowestVersion, info.HighestVersion);
        return await connection.SendAsync(request, version, Min(remaining, _options.RequestTimeout), ct).ConfigureAwait(false);
    }

    /// <summary>The open connection to a controller, opening one (once, for concurrent callers) when there is none.</summary>
    private async Task<IKafkaConnection> ConnectionAsync(int index, TimeSpan limit, CancellationToken ct)
    {
        var slot = _slots[index];
        if (slot.Connection is { IsOpen: true } open)
        {
            return open;
        }

        await slot.Gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (slot.Connection is { IsOpen: true } again)
            {
                return again;
            }

            if (slot.Connection is { } closed)
            {
                slot.Connection = null;
                await closed.DisposeAsync().ConfigureAwait(false);
            }

            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
            deadline.CancelAfter(limit);
            var target = _controllers[index];
            slot.Connection = await _factory.ConnectAsync(new Client.Network.BrokerEndpoint(target.Host, target.Port), deadline.Token).ConfigureAwait(false);
            return slot.Connection;
        }
        finally
        {
            slot.Gate.Release();
        }
    }

    private async ValueTask DropAsync(int index)
    {
        var slot = _slots[index];
        await slot.Gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            if (slot.Connection is { IsOpen: false } closed)
            {
                slot.Connection = null;
                await closed.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            slot.Gate.Release();
        }
    }

    /// <summary>
    /// The quorum's leader hint first (unless it just failed), then whoever answered last, then the
    /// voters in turn, skipping the one that just failed when there is another.
    /// </summary>
    private int Pick(int failed)
    {
        var hint = _quorum?.LeaderId ?? -1;
        if (hint >= 0)
        {
            for (var i = 0; i < _controllers.Count; i++)
            {
                if (_controllers[i].Id == hint && i != failed)
                {
                    return i;
                }
            }
        }

        var last = Volatile.Read(ref _lastAnswered);
        if (last >= 0 && last != failed)
        {
            return last;
        }

        var next = (int)((uint)Interlocked.Increment(ref _roundRobin) % (uint)_controllers.Count);
        if (next == failed && _controllers.Count > 1)
        {
            next = (int)((uint)Interlocked.Increment(ref _roundRobin) % (uint)_controllers.Count);
        }

        return next;
    }

    private TimeSpan Backoff()
    {
        var min = _options.MinBackoff.TotalMilliseconds;
        var max = Math.Max(min, _options.MaxBackoff.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(min + (_random.NextDouble() * (max - min)));
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _disposing.CancelAsync().ConfigureAwait(false);
        foreach (var slot in _slots)
        {
            if (slot.Connection is { } connection)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Controller} is not the active controller ({Api}); retrying")]
    private partial void LogNotController(string controller, ApiKey api);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Api} to controller {Controller} failed: {Reason}; retrying")]
    private partial void LogAttemptFailed(string controller, ApiKey api, string reason);

    /// <summary>One controller's connection and the gate that makes concurrent callers share one connect.</summary>
    private sealed class Slot
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public IKafkaConnection? Connection { get; set; }
    }
}
