namespace Tributary.Broker.FetchSessions;

/// <summary>How a fetch request relates to a session.</summary>
public enum FetchContextKind
{
    /// <summary>Epoch -1: a full fetch without a session (sessionId 0 in the response).</summary>
    Sessionless,

    /// <summary>Epoch 0: a full fetch that opens a new session (when the cache has room).</summary>
    FullNewSession,

    /// <summary>Epoch &gt; 0: changes to an existing session; the response lists changed partitions only.</summary>
    Incremental,

    /// <summary>The session is unknown or the epoch is wrong: answered with a top-level error only.</summary>
    Error,
}
