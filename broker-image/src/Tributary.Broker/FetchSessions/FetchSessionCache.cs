using Tributary.Protocol;

namespace Tributary.Broker.FetchSessions;

/// <summary>
/// The broker's incremental fetch sessions (KIP-227), bounded by
/// <c>max.incremental.fetch.session.cache.slots</c>. When full, a new session evicts the least
/// recently used session idle for longer than the eviction time, else the smallest session if it
/// has fewer partitions than the new one; otherwise the fetch simply runs without a session.
/// </summary>
public sealed class FetchSessionCache
{
    /// <summary>Kafka's default number of session slots.</summary>
    public const int DefaultMaxSlots = 1000;

    /// <summary>Kafka's minimum idle time before a session may be evicted by any newcomer (120 s).</summary>
    public const long DefaultEvictionMs = 120_000;

    private const int InitialEpoch = 0;
    private const int FinalEpoch = -1;

    private readonly object _lock = new();
    private readonly Dictionary<int, FetchSession> _sessions = [];
    private readonly int _maxSlots;
    private readonly long _evictionMs;
    private readonly TimeProvider _time;

    public FetchSessionCache(int maxSlots = DefaultMaxSlots, long evictionMs = DefaultEvictionMs, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxSlots);
        _maxSlots = maxSlots;
        _evictionMs = evictionMs;
        _time = time ?? TimeProvider.System;
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _sessions.Count;
            }
        }
    }

    private long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    public FetchSession? Get(int sessionId)
    {
        lock (_lock)
        {
            return _sessions.GetValueOrDefault(sessionId);
        }
    }

    /// <summary>
    /// Resolves a request's session fields. Epoch 0 or -1 is a full fetch (an existing
    /// <paramref name="sessionId"/> is closed first); 0 asks for a new session, -1 for none.
    /// A positive epoch updates the session: <paramref name="requested"/> partitions are added or
    /// repositioned and <paramref name="forgotten"/> ones removed.
    /// </summary>
    public FetchContext NewContext(int sessionId, int epoch, bool usesTopicIds, IReadOnlyList<FetchTarget> requested, IReadOnlyList<FetchPartitionKey> forgotten)
    {
        ArgumentNullException.ThrowIfNull(requested);
        ArgumentNullException.ThrowIfNull(forgotten);
        if (epoch is InitialEpoch or FinalEpoch)
        {
            if (sessionId != 0)
            {
                lock (_lock)
                {
                    _sessions.Remove(sessionId);
                }
            }

            var kind = epoch == FinalEpoch ? FetchContextKind.Sessionless : FetchContextKind.FullNewSession;
            return new FetchContext(this, kind, ErrorCode.None, requested, null, usesTopicIds);
        }

        lock (_lock)
        {
            if (epoch < 0 || !_sessions.TryGetValue(sessionId, out var session))
            {
                return Failed(epoch < 0 ? ErrorCode.InvalidFetchSessionEpoch : ErrorCode.FetchSessionIdNotFound);
            }

            if (session.Epoch != epoch)
            {
                return Failed(ErrorCode.InvalidFetchSessionEpoch);
            }

            if (session.UsesTopicIds != usesTopicIds)
            {
                return Failed(ErrorCode.FetchSessionTopicIdError);
            }

            foreach (var key in forgotten)
            {
                session.Remove(key);
            }

            foreach (var target in requested)
            {
                session.Upsert(target);
            }

            session.Epoch = FetchSession.NextEpoch(epoch);
            session.LastUsedMs = NowMs;
            FetchTarget[] targets = [.. session.Partitions.Select(p => p.Target)];
            return new FetchContext(this, FetchContextKind.Incremental, ErrorCode.None, targets, session, usesTopicIds);
        }
    }

    internal int CompleteIncremental(FetchSession session, IReadOnlyList<FetchTarget> targets, IReadOnlyList<FetchedPartitionState> results, Span<bool> include)
    {
        lock (_lock)
        {
            for (var i = 0; i < targets.Count; i++)
            {
                var cached = session.Find(targets[i].Key);
                include[i] = cached is null || cached.Update(results[i]);
                if (include[i])
                {
                    session.MoveToEnd(targets[i].Key);
                }
            }

            return session.Id;
        }
    }

    internal int CreateSession(IReadOnlyList<FetchTarget> targets, IReadOnlyList<FetchedPartitionState> results, bool usesTopicIds)
    {
        lock (_lock)
        {
            var now = NowMs;
            if (!TryMakeRoom(targets.Count, now))
            {
                return 0;
            }

            int id;
            do
            {
                id = Random.Shared.Next(1, int.MaxValue);
            }
            while (_sessions.ContainsKey(id));

            var session = new FetchSession(id, usesTopicIds, now);
            for (var i = 0; i < targets.Count; i++)
            {
                session.Upsert(targets[i]).Update(results[i]);
            }

            _sessions[id] = session;
            return id;
        }
    }

    private bool TryMakeRoom(int partitions, long now)
    {
        if (_sessions.Count < _maxSlots)
        {
            return true;
        }

        FetchSession? victim = null;
        foreach (var s in _sessions.Values)
        {
            if (now - s.LastUsedMs > _evictionMs && (victim is null || s.LastUsedMs < victim.LastUsedMs))
            {
                victim = s;
            }
        }

        if (victim is null)
        {
            foreach (var s in _sessions.Values)
            {
                if (s.PartitionCount < partitions && (victim is null || s.PartitionCount < victim.PartitionCount ||
                    (s.PartitionCount == victim.PartitionCount && s.LastUsedMs < victim.LastUsedMs)))
                {
                    victim = s;
                }
            }
        }

        return victim is not null && _sessions.Remove(victim.Id);
    }

    private FetchContext Failed(ErrorCode error) => new(this, FetchContextKind.Error, error, [], null, false);
}
