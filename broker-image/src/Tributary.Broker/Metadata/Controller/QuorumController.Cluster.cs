using Microsoft.Extensions.Logging;
using Tributary.Protocol;
using Tributary.Protocol.Messages;
using Tributary.Protocol.Metadata;

namespace Tributary.Broker.Metadata.Controller;

/// <summary>Cluster mode: activation, broker lifecycle, partition state, elections and reassignments.</summary>
public sealed partial class QuorumController
{
    private const string UncleanLeaderElectionEnable = "unclean.leader.election.enable";

    public async ValueTask<BrokerRegistrationResponse> RegisterBrokerAsync(BrokerRegistrationRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!IsActive)
        {
            return new BrokerRegistrationResponse { ErrorCode = (short)ErrorCode.NotController };
        }

        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var image = _store.Current;
            var now = NowMs();
            var plan = BrokerRegistrations.Plan(image, request, id => _sessions.HasValidSession(id, now), UncleanPolicy(image));
            var error = plan.Error == ErrorCode.None ? await TryCommitAsync(plan.Records, ct).ConfigureAwait(false) : plan.Error;
            if (error != ErrorCode.None)
            {
                return new BrokerRegistrationResponse { ErrorCode = (short)error };
            }

            _sessions.Register(request.BrokerId, now);
            LogBrokerRegistered(request.BrokerId, plan.BrokerEpoch, request.Rack);
            return new BrokerRegistrationResponse { BrokerEpoch = plan.BrokerEpoch };
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask<BrokerHeartbeatResponse> HeartbeatAsync(BrokerHeartbeatRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!IsActive)
        {
            return new BrokerHeartbeatResponse { ErrorCode = (short)ErrorCode.NotController };
        }

        // Contact counts when it arrives, not when the controller gets to it: a heartbeat waiting behind
        // a slow commit must not let the session expire.
        var now = NowMs();
        if (_store.Current.Brokers.TryGetValue(request.BrokerId, out var known) && known.Epoch == request.BrokerEpoch)
        {
            _sessions.Touch(request.BrokerId, now, request.CurrentMetadataOffset);
        }

        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var image = _store.Current;
            var shutdownOffset = _sessions.Get(request.BrokerId)?.ControlledShutdownOffset ?? -1;
            if (shutdownOffset < 0 && image.Brokers.TryGetValue(request.BrokerId, out var b) && b is { Fenced: false, InControlledShutdown: true })
            {
                // A shutdown begun under an earlier controller: wait until everyone has seen today's image.
                shutdownOffset = image.Offset;
                _sessions.SetControlledShutdownOffset(request.BrokerId, shutdownOffset);
            }

            var others = image.Brokers.Values.Where(x => x.IsActive && x.Id != request.BrokerId).Select(x => x.Id);
            var plan = BrokerHeartbeats.Plan(image, request, shutdownOffset, _sessions.LowestMetadataOffset(others), UncleanPolicy(image));
            if (plan.Error != ErrorCode.None)
            {
                return new BrokerHeartbeatResponse { ErrorCode = (short)plan.Error };
            }

            var error = await TryCommitAsync(plan.Records, ct).ConfigureAwait(false);
            if (error != ErrorCode.None)
            {
                return new BrokerHeartbeatResponse { ErrorCode = (short)error, IsCaughtUp = plan.IsCaughtUp, IsFenced = plan.Current != BrokerState.Unfenced };
            }

            if (plan.Current != plan.Next)
            {
                LogBrokerStateChanged(request.BrokerId, plan.Current, plan.Next);
            }

            if (plan.Next == BrokerState.ControlledShutdown && plan.Current != BrokerState.ControlledShutdown)
            {
                _sessions.SetControlledShutdownOffset(request.BrokerId, _store.Current.Offset);
            }
            else if (plan.Next == BrokerState.ShutdownNow)
            {
                // Shut down cleanly: its next incarnation may register at once.
                _sessions.Remove(request.BrokerId);
            }

            return new BrokerHeartbeatResponse { IsCaughtUp = plan.IsCaughtUp, IsFenced = plan.IsFenced, ShouldShutDown = plan.ShouldShutDown };
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask<AlterPartitionResponse> AlterPartitionAsync(AlterPartitionRequest request, short version, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!IsActive)
        {
            return new AlterPartitionResponse { ErrorCode = (short)ErrorCode.NotController };
        }

        return await PlanAndCommitAsync(image => AlterPartitions.Plan(image, request, version),
            error => new AlterPartitionResponse { ErrorCode = (short)error }, ct).ConfigureAwait(false);
    }

    public async ValueTask<ElectLeadersResponse> ElectLeadersAsync(ElectLeadersRequest request, short version, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!IsActive)
        {
            return ElectLeadersFailed(request, ErrorCode.NotController);
        }

        return await PlanAndCommitAsync(image => LeaderElections.Plan(image, request, version),
            error => ElectLeadersFailed(request, error), ct).ConfigureAwait(false);
    }

    public async ValueTask<AlterPartitionReassignmentsResponse> AlterPartitionReassignmentsAsync(AlterPartitionReassignmentsRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!IsActive)
        {
            return new AlterPartitionReassignmentsResponse { ErrorCode = (short)ErrorCode.NotController, ErrorMessage = null };
        }

        return await PlanAndCommitAsync(image => Reassignments.PlanAlter(image, request, UncleanPolicy(image)),
            error => new AlterPartitionReassignmentsResponse { ErrorCode = (short)error, ErrorMessage = null }, ct).ConfigureAwait(false);
    }

    public ValueTask<ListPartitionReassignmentsResponse> ListPartitionReassignmentsAsync(ListPartitionReassignmentsRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        return ValueTask.FromResult(IsActive
            ? Reassignments.List(_store.Current, request)
            : new ListPartitionReassignmentsResponse { ErrorCode = (short)ErrorCode.NotController, ErrorMessage = null });
    }

    /// <summary>
    /// Fences every unfenced broker whose session expired, one commit per broker (its ISR places and
    /// leaderships move in the same commit). Returns how many were fenced. Run by the session timer.
    /// </summary>
    public async Task<int> FenceExpiredBrokersAsync(CancellationToken ct)
    {
        if (!IsActive)
        {
            return 0;
        }

        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var now = NowMs();
            var fenced = 0;
            var expired = _sessions.Expired(_store.Current.Brokers.Values.Where(b => !b.Fenced).Select(b => b.Id), now);
            foreach (var id in expired)
            {
                var image = _store.Current;
                if (!image.Brokers.TryGetValue(id, out var broker) || broker.Fenced)
                {
                    continue;
                }

                var records = new List<IMetadataRecord> { BrokerRecords.Fenced(BrokerRecords.MetadataVersion(image), broker) };
                BrokerPartitionChanges.RemoveFromIsrs(image, id, UncleanPolicy(image), records);
                if (await TryCommitAsync(records, ct).ConfigureAwait(false) != ErrorCode.None)
                {
                    break;
                }

                _sessions.Remove(id);
                LogSessionExpired(id, records.Count - 1);
                fenced++;
            }

            return fenced;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>One automatic preferred-leader rebalance pass; returns the number of elections committed.</summary>
    public async Task<int> RebalanceLeadersAsync(CancellationToken ct)
    {
        if (!IsActive)
        {
            return 0;
        }

        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var records = LeaderRebalance.Plan(_store.Current, _config.LeaderImbalancePerBrokerPercentage);
            if (records.Count == 0 || await TryCommitAsync(records, ct).ConfigureAwait(false) != ErrorCode.None)
            {
                return 0;
            }

            LogRebalanced(records.Count);
            return records.Count;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Follows <see cref="IQuorumView.IsActiveController"/>: on activation, fresh sessions for every
    /// unfenced broker (a full timeout each), the timers, and metadata.version if missing; on
    /// deactivation, timers stop and sessions are dropped.
    /// </summary>
    private async Task UpdateActivationAsync(CancellationToken ct)
    {
        bool activatedNow;
        lock (_activationLock)
        {
            var active = _quorum!.IsActiveController && Volatile.Read(ref _disposed) == 0;
            if (active == _activated)
            {
                return;
            }

            _activated = active;
            activatedNow = active;
            StopTimers();
            _sessions.Reset(active ? _store.Current.Brokers.Values.Where(b => !b.Fenced).Select(b => b.Id) : [], NowMs());
            if (active)
            {
                StartTimers();
            }
        }

        LogActivation(activatedNow, _quorum.LeaderEpoch);
        if (activatedNow)
        {
            await BootstrapClusterAsync(ct).ConfigureAwait(false);
        }
    }

    private async Task BootstrapClusterAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (IsActive && !_store.Current.Features.ContainsKey("metadata.version"))
            {
                await TryCommitAsync([new FeatureLevelRecord { Name = "metadata.version", FeatureLevel = MetadataVersionLevel }], ct).ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private void OnLeadershipChanged() => _ = RunBackgroundAsync(() => UpdateActivationAsync(CancellationToken.None));

    private void StartTimers()
    {
        // Check sessions several times per timeout so a dead broker is fenced soon after it expires.
        var period = TimeSpan.FromMilliseconds(Math.Clamp(_config.BrokerSessionTimeoutMs / 8, 10, 1000));
        _sessionTimer = _time.CreateTimer(_ => OnSessionTimer(), null, period, period);
        if (_config.AutoLeaderRebalanceEnable)
        {
            var interval = TimeSpan.FromSeconds(_config.LeaderImbalanceCheckIntervalSeconds);
            _rebalanceTimer = _time.CreateTimer(_ => OnRebalanceTimer(), null, interval, interval);
        }
    }

    private void StopTimers()
    {
        _sessionTimer?.Dispose();
        _sessionTimer = null;
        _rebalanceTimer?.Dispose();
        _rebalanceTimer = null;
    }

    private void OnSessionTimer()
    {
        if (Interlocked.Exchange(ref _sessionCheckRunning, 1) == 0)
        {
            _ = RunBackgroundAsync(async () =>
            {
                try
                {
                    await FenceExpiredBrokersAsync(CancellationToken.None).ConfigureAwait(false);
                }
                finally
                {
                    Volatile.Write(ref _sessionCheckRunning, 0);
                }
            });
        }
    }

    private void OnRebalanceTimer()
    {
        if (Interlocked.Exchange(ref _rebalanceRunning, 1) == 0)
        {
            _ = RunBackgroundAsync(async () =>
            {
                try
                {
                    await RebalanceLeadersAsync(CancellationToken.None).ConfigureAwait(false);
                }
                finally
                {
                    Volatile.Write(ref _rebalanceRunning, 0);
                }
            });
        }
    }

    private async Task RunBackgroundAsync(Func<Task> work)
    {
        try
        {
            await work().ConfigureAwait(false);
        }
        catch (ObjectDisposedException) when (Volatile.Read(ref _disposed) != 0)
        {
            // Shutting down: the gate is gone.
        }
#pragma warning disable CA1031 // a background task must log, never crash the process
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogBackgroundFailed(e);
        }
    }

    /// <summary>Plans under the gate and commits; a failed commit replaces the answer with <paramref name="failed"/>.</summary>
    private async ValueTask<T> PlanAndCommitAsync<T>(Func<MetadataImage, ControllerPlan<T>> plan, Func<ErrorCode, T> failed, CancellationToken ct)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var result = plan(_store.Current);
            var error = await TryCommitAsync(result.Records, ct).ConfigureAwait(false);
            return error == ErrorCode.None ? result.Result : failed(error);
        }
        finally
        {
            _gate.Release();
        }
    }

    private static ElectLeadersResponse ElectLeadersFailed(ElectLeadersRequest request, ErrorCode error)
    {
        var response = new ElectLeadersResponse { ErrorCode = (short)error };
        foreach (var topic in request.TopicPartitions ?? [])
        {
            response.ReplicaElectionResults.Add(new ElectLeadersResponse.ReplicaElectionResult
            {
                Topic = topic.Topic,
                PartitionResult = [.. topic.Partitions.Select(p => new ElectLeadersResponse.PartitionResult { PartitionId = p, ErrorCode = (short)error, ErrorMessage = null })],
            });
        }

        return response;
    }

    /// <summary>Per topic, whether unclean leader election is enabled (topic override, else broker default).</summary>
    private Func<string, bool> UncleanPolicy(MetadataImage image) =>
        topic => string.Equals(_resolver.Effective(image, topic, UncleanLeaderElectionEnable), "true", StringComparison.OrdinalIgnoreCase);

    private long NowMs() => (long)_time.GetElapsedTime(_origin).TotalMilliseconds;

    [LoggerMessage(Level = LogLevel.Information, Message = "Registered broker {BrokerId} (fenced) with epoch {Epoch}, rack {Rack}")]
    private partial void LogBrokerRegistered(int brokerId, long epoch, string? rack);

    [LoggerMessage(Level = LogLevel.Information, Message = "Broker {BrokerId}: {From} -> {To}")]
    private partial void LogBrokerStateChanged(int brokerId, BrokerState from, BrokerState to);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fenced broker {BrokerId}: its session expired ({Changes} partition changes)")]
    private partial void LogSessionExpired(int brokerId, int changes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Moved {Count} leaderships back to preferred replicas")]
    private partial void LogRebalanced(int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Active controller: {Active} (quorum epoch {Epoch})")]
    private partial void LogActivation(bool active, int epoch);

    [LoggerMessage(Level = LogLevel.Error, Message = "A controller background task failed")]
    private partial void LogBackgroundFailed(Exception exception);
}
