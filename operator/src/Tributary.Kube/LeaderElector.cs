using System.Text.Json.Nodes;

namespace Tributary.Kube;

/// <summary>
/// Leader election on a coordination.k8s.io/v1 Lease. A lease is taken over when its record has not
/// changed for LeaseDuration as seen by this candidate's clock (like client-go, so clock skew between
/// candidates does not matter). Updates are conditional on resourceVersion, so two candidates never
/// both win the same round.
/// </summary>
public sealed class LeaderElector
{
    private readonly IKubeClient _client;
    private readonly LeaderElectionOptions _options;
    private readonly TimeProvider _time;
    private string? _observedRecord;
    private DateTimeOffset _observedAt;
    private DateTimeOffset _lastRenewal;

    public LeaderElector(IKubeClient client, LeaderElectionOptions options)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _time = options.TimeProvider;
    }

    public event Action? OnStartedLeading;

    public event Action? OnStoppedLeading;

    /// <summary>Raised with the holder's identity whenever an observed holder differs from the previous one.</summary>
    public event Action<string>? OnNewLeader;

    public bool IsLeader { get; private set; }

    /// <summary>Holder identity last seen on the lease.</summary>
    public string? ObservedLeader { get; private set; }

    /// <summary>
    /// One acquire-or-renew attempt. Returns true when this candidate holds the lease afterwards.
    /// Raises OnStartedLeading on gaining and OnStoppedLeading on losing leadership.
    /// </summary>
    public async Task<bool> TryAcquireOrRenewAsync(CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        bool held;
        try
        {
            held = await AttemptAsync(now, cancellationToken).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.IsConflict || e.IsAlreadyExists)
        {
            // Another candidate wrote first; we will look again next round.
            held = false;
        }
        if (held)
        {
            _lastRenewal = now;
        }
        SetLeader(held);
        return held;
    }

    private async Task<bool> AttemptAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var lease = await _client.TryGetAsync(ResourceDescriptor.Leases, _options.LeaseNamespace, _options.LeaseName, cancellationToken)
            .ConfigureAwait(false);
        if (lease is null)
        {
            var created = new JsonObject
            {
                ["apiVersion"] = "coordination.k8s.io/v1",
                ["kind"] = "Lease",
                ["metadata"] = new JsonObject { ["name"] = _options.LeaseName, ["namespace"] = _options.LeaseNamespace },
                ["spec"] = new JsonObject
                {
                    ["holderIdentity"] = _options.Identity,
                    ["leaseDurationSeconds"] = DurationSeconds(),
                    ["acquireTime"] = KubeJson.FormatMicroTime(now),
                    ["renewTime"] = KubeJson.FormatMicroTime(now),
                    ["leaseTransitions"] = 0,
                },
            };
            var stored = await _client.CreateAsync(ResourceDescriptor.Leases, created, cancellationToken).ConfigureAwait(false);
            Observe(stored, now);
            return true;
        }

        Observe(lease, now);
        var spec = lease["spec"] as JsonObject ?? new JsonObject();
        var holder = spec.GetString("holderIdentity") ?? "";
        var iHold = holder == _options.Identity;
        var duration = spec["leaseDurationSeconds"].AsInt64() is { } secs ? TimeSpan.FromSeconds(secs) : _options.LeaseDuration;
        if (!iHold && holder.Length > 0 && _observedAt + duration > now)
        {
            return false;
        }

        var transitions = (int)(spec["leaseTransitions"].AsInt64() ?? 0);
        var newSpec = new JsonObject
        {
            ["holderIdentity"] = _options.Identity,
            ["leaseDurationSeconds"] = DurationSeconds(),
            ["acquireTime"] = iHold ? spec["acquireTime"]?.DeepClone() : KubeJson.FormatMicroTime(now),
            ["renewTime"] = KubeJson.FormatMicroTime(now),
            ["leaseTransitions"] = iHold ? transitions : transitions + 1,
        };
        var updated = (JsonObject)lease.DeepClone();
        updated["spec"] = newSpec;
        var result = await _client.UpdateAsync(ResourceDescriptor.Leases, updated, cancellationToken).ConfigureAwait(false);
        Observe(result, now);
        return true;
    }

    /// <summary>Gives the lease up (if held) so another candidate can take over without waiting for expiry.</summary>
    public async Task ReleaseAsync(CancellationToken cancellationToken = default)
    {
        if (!IsLeader)
        {
            return;
        }
        try
        {
            var lease = await _client.TryGetAsync(ResourceDescriptor.Leases, _options.LeaseNamespace, _options.LeaseName, cancellationToken)
                .ConfigureAwait(false);
            if (lease?["spec"] is JsonObject spec && spec.GetString("holderIdentity") == _options.Identity)
            {
                var now = _time.GetUtcNow();
                var released = (JsonObject)lease.DeepClone();
                var newSpec = (JsonObject)spec.DeepClone();
                newSpec["holderIdentity"] = "";
                newSpec["leaseDurationSeconds"] = 1;
                newSpec["renewTime"] = KubeJson.FormatMicroTime(now);
                released["spec"] = newSpec;
                await _client.UpdateAsync(ResourceDescriptor.Leases, released, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (KubeApiException e) when (e.IsConflict || e.IsNotFound)
        {
            // Someone else changed the lease already; nothing left to release.
        }
        finally
        {
            SetLeader(false);
        }
    }

    /// <summary>
    /// Campaigns until cancelled: retries acquisition every RetryPeriod, renews while leading,
    /// steps down when renewal has failed for RenewDeadline, and releases the lease on cancellation.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                try
                {
                    await TryAcquireOrRenewAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (KubeApiException)
                {
                    // Transient API failure: keep leading only while within the renew deadline.
                    if (IsLeader && _time.GetUtcNow() - _lastRenewal > _options.RenewDeadline)
                    {
                        SetLeader(false);
                    }
                }
                await Task.Delay(_options.RetryPeriod, _time, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        using var releaseTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await ReleaseAsync(releaseTimeout.Token).ConfigureAwait(false);
    }

    private void Observe(JsonObject lease, DateTimeOffset now)
    {
        var spec = lease["spec"] as JsonObject;
        var record = spec?.ToJsonString() ?? "";
        if (record != _observedRecord)
        {
            _observedRecord = record;
            _observedAt = now;
        }
        var holder = spec?.GetString("holderIdentity") ?? "";
        if (holder != ObservedLeader)
        {
            ObservedLeader = holder;
            if (holder.Length > 0)
            {
                OnNewLeader?.Invoke(holder);
            }
        }
    }

    private void SetLeader(bool leading)
    {
        if (leading == IsLeader)
        {
            return;
        }
        IsLeader = leading;
        if (leading)
        {
            OnStartedLeading?.Invoke();
        }
        else
        {
            OnStoppedLeading?.Invoke();
        }
    }

    private int DurationSeconds() => (int)Math.Ceiling(_options.LeaseDuration.TotalSeconds);
}
