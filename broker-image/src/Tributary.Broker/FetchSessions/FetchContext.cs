using Tributary.Protocol;

namespace Tributary.Broker.FetchSessions;

/// <summary>
/// One fetch request resolved against the session cache: which partitions to read
/// (<see cref="Targets"/>, in order), and — once read — which to put in the response and
/// which session id to return (<see cref="Complete"/>).
/// </summary>
public sealed class FetchContext
{
    private readonly FetchSessionCache _cache;
    private readonly FetchSession? _session;
    private readonly bool _usesTopicIds;

    internal FetchContext(FetchSessionCache cache, FetchContextKind kind, ErrorCode error, IReadOnlyList<FetchTarget> targets, FetchSession? session, bool usesTopicIds)
    {
        _cache = cache;
        Kind = kind;
        Error = error;
        Targets = targets;
        _session = session;
        _usesTopicIds = usesTopicIds;
    }

    public FetchContextKind Kind { get; }

    /// <summary>FETCH_SESSION_ID_NOT_FOUND, INVALID_FETCH_SESSION_EPOCH or FETCH_SESSION_TOPIC_ID_ERROR for <see cref="FetchContextKind.Error"/>.</summary>
    public ErrorCode Error { get; }

    /// <summary>Partitions to read: the request's for full fetches, the whole session's for incremental ones.</summary>
    public IReadOnlyList<FetchTarget> Targets { get; }

    /// <summary>
    /// Takes the read results (parallel to <see cref="Targets"/>), fills <paramref name="include"/>
    /// with the partitions the response must carry, updates or creates the session, and returns
    /// the session id for the response (0 when there is none).
    /// </summary>
    public int Complete(IReadOnlyList<FetchedPartitionState> results, Span<bool> include)
    {
        ArgumentNullException.ThrowIfNull(results);
        if (results.Count != Targets.Count || include.Length < Targets.Count)
        {
            throw new ArgumentException("one result per target is required", nameof(results));
        }

        switch (Kind)
        {
            case FetchContextKind.Incremental:
                return _cache.CompleteIncremental(_session!, Targets, results, include);
            case FetchContextKind.FullNewSession:
                include.Fill(true);
                return _cache.CreateSession(Targets, results, _usesTopicIds);
            case FetchContextKind.Sessionless:
                include.Fill(true);
                return 0;
            default:
                include.Clear();
                return 0;
        }
    }
}
