namespace Tributary.Broker.Metadata.Controller;

/// <summary>
/// The active controller's in-memory heartbeat sessions (Kafka's BrokerHeartbeatManager). Nothing here
/// is persisted: a newly active controller starts over with <see cref="Reset"/>, giving every unfenced
/// broker a full session timeout. Thread-safe: heartbeats touch it before they queue for the controller.
/// </summary>
public sealed class BrokerSessions
{
    private readonly Lock _lock = new();
    private readonly Dictionary<int, BrokerSession> _sessions = [];

    public BrokerSessions(long sessionTimeoutMs)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sessionTimeoutMs);
        SessionTimeoutMs = sessionTimeoutMs;
    }

    public long SessionTimeoutMs { get; }

    /// <summary>Forgets every session and opens a fresh one, as of <paramref name="nowMs"/>, for each broker given.</summary>
    public void Reset(IEnumerable<int> brokers, long nowMs)
    {
        ArgumentNullException.ThrowIfNull(brokers);
        lock (_lock)
        {
            _sessions.Clear();
            foreach (var id in brokers)
            {
                _sessions[id] = new BrokerSession(nowMs, -1, -1);
            }
        }
    }

    /// <summary>Records contact from a broker (registration or heartbeat); a negative offset keeps the last one.</summary>
    public void Touch(int brokerId, long nowMs, long metadataOffset = -1)
    {
        lock (_lock)
        {
            var current = _sessions.GetValueOrDefault(brokerId, new BrokerSession(nowMs, -1, -1));
            _sessions[brokerId] = current with
            {
                LastContactMs = Math.Max(current.LastContactMs, nowMs),
                MetadataOffset = metadataOffset >= 0 ? metadataOffset : current.MetadataOffset,
            };
        }
    }

    /// <summary>A new registration: the session starts over (no controlled shutdown in progress).</summary>
    public void Register(int brokerId, long nowMs)
    {
        lock (_lock)
        {
            _sessions[brokerId] = new BrokerSession(nowMs, -1, -1);
        }
    }

    public void Remove(int brokerId)
    {
        lock (_lock)
        {
            _sessions.Remove(brokerId);
        }
    }

    public BrokerSession? Get(int brokerId)
    {
        lock (_lock)
        {
            return _sessions.TryGetValue(brokerId, out var s) ? s : null;
        }
    }

    public void SetControlledShutdownOffset(int brokerId, long offset)
    {
        lock (_lock)
        {
            if (_sessions.TryGetValue(brokerId, out var s))
            {
                _sessions[brokerId] = s with { ControlledShutdownOffset = offset };
            }
        }
    }

    /// <summary>Whether the broker has been heard from within the session timeout.</summary>
    public bool HasValidSession(int brokerId, long nowMs)
    {
        lock (_lock)
        {
            return _sessions.TryGetValue(brokerId, out var s) && nowMs - s.LastContactMs <= SessionTimeoutMs;
        }
    }

    /// <summary>Of <paramref name="candidates"/>, those whose session has expired (or who have none), oldest contact first.</summary>
    public IReadOnlyList<int> Expired(IEnumerable<int> candidates, long nowMs)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        lock (_lock)
        {
            return [.. candidates
                .Select(id => (Id: id, Last: _sessions.TryGetValue(id, out var s) ? s.LastContactMs : long.MinValue))
                .Where(x => x.Last == long.MinValue || nowMs - x.Last > SessionTimeoutMs)
                .OrderBy(x => x.Last)
                .Select(x => x.Id)];
        }
    }

    /// <summary>The lowest metadata offset reported by the given brokers (long.MaxValue when none; -1 for one never reported).</summary>
    public long LowestMetadataOffset(IEnumerable<int> brokers)
    {
        ArgumentNullException.ThrowIfNull(brokers);
        lock (_lock)
        {
            var lowest = long.MaxValue;
            foreach (var id in brokers)
            {
                lowest = Math.Min(lowest, _sessions.TryGetValue(id, out var s) ? s.MetadataOffset : -1);
            }

            return lowest;
        }
    }
}
