namespace Tributary.Broker.Raft;

/// <summary>
/// Static settings of one replica. Times are in milliseconds of the clock passed to
/// <see cref="RaftNode"/>; defaults follow KRaft's (election 1 s, fetch timeout 2 s).
/// </summary>
public sealed record RaftConfig
{
    /// <summary>This replica's node id.</summary>
    public required int NodeId { get; init; }

    /// <summary>The voter ids (the static quorum); a node not listed is an observer.</summary>
    public required IReadOnlyList<int> Voters { get; init; }

    /// <summary>Cluster id carried in and checked on every request; null skips the check.</summary>
    public string? ClusterId { get; init; }

    /// <summary>The replicated topic.</summary>
    public string TopicName { get; init; } = "__cluster_metadata";

    /// <summary>Base election timeout; each wait adds a random jitter in [0, <see cref="ElectionJitterMs"/>].</summary>
    public int ElectionTimeoutMs { get; init; } = 1000;

    /// <summary>Upper bound of the random part of an election timeout (avoids split votes).</summary>
    public int ElectionJitterMs { get; init; } = 1000;

    /// <summary>A follower that heard nothing from its leader for this long starts an election.</summary>
    public int FetchTimeoutMs { get; init; } = 2000;

    /// <summary>How long a follower waits before refetching after an empty or failed fetch.</summary>
    public int FetchBackoffMs { get; init; } = 50;

    /// <summary>An unanswered request is treated as lost and resent after this long.</summary>
    public int RequestTimeoutMs { get; init; } = 500;

    /// <summary>Per-position delay for preferred successors after an EndQuorumEpoch.</summary>
    public int ElectionBackoffMs { get; init; } = 100;

    /// <summary>Upper bound of record bytes in one Fetch response.</summary>
    public int MaxFetchBytes { get; init; } = 1024 * 1024;

    /// <summary>Upper bound of snapshot bytes in one FetchSnapshot response.</summary>
    public int SnapshotChunkBytes { get; init; } = 64 * 1024;

    /// <summary>
    /// A leader that has not heard from a majority of voters for this long resigns, so a leader cut
    /// off by a partition stops claiming leadership (KRaft uses 1.5 × the fetch timeout).
    /// </summary>
    public int CheckQuorumTimeoutMs => FetchTimeoutMs * 3 / 2;

    /// <summary>True when <paramref name="nodeId"/> is a voter.</summary>
    public bool IsVoter(int nodeId)
    {
        for (var i = 0; i < Voters.Count; i++)
        {
            if (Voters[i] == nodeId)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Votes (or replicas) needed for a majority of the voters.</summary>
    public int Majority => Voters.Count / 2 + 1;
}
