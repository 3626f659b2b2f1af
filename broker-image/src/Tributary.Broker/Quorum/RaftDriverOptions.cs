using Tributary.Broker.Config;
using Tributary.Broker.Raft;

namespace Tributary.Broker.Quorum;

/// <summary>Settings of <see cref="RaftDriver"/>: the Raft core's own config plus the I/O timings around it.</summary>
public sealed record RaftDriverOptions
{
    /// <summary>The Raft core's settings (node id, voters, timeouts).</summary>
    public required RaftConfig Raft { get; init; }

    /// <summary>How often the node gets a tick (elections, resends and fetch pacing are tick-driven).</summary>
    public int TickIntervalMs { get; init; } = 10;

    /// <summary>
    /// How long the leader holds a fetch from an up-to-date replica waiting for new records or a
    /// high-watermark move (KRaft long-polls too, so idle followers do not spin).
    /// </summary>
    public int FetchMaxWaitMs { get; init; } = 500;

    /// <summary>Delay before a failed request is reported to the node (it then resends), so a dead peer is not hammered.</summary>
    public int RetryBackoffMs { get; init; } = 20;

    /// <summary>
    /// The options for <paramref name="config"/>: node id and voters from <c>controller.quorum.voters</c>,
    /// Kafka's quorum timeouts (election, fetch, request, retry backoff).
    /// </summary>
    public static RaftDriverOptions FromConfig(BrokerConfig config, string clusterId)
    {
        ArgumentNullException.ThrowIfNull(config);
        var requestTimeout = config.ControllerQuorumRequestTimeoutMs;
        return new RaftDriverOptions
        {
            Raft = new RaftConfig
            {
                NodeId = config.NodeId,
                Voters = config.QuorumVoters.Select(v => v.Id).ToArray(),
                ClusterId = clusterId,
                ElectionTimeoutMs = config.ControllerQuorumElectionTimeoutMs,
                ElectionJitterMs = config.ControllerQuorumElectionTimeoutMs,
                FetchTimeoutMs = config.ControllerQuorumFetchTimeoutMs,
                RequestTimeoutMs = requestTimeout,
                FetchBackoffMs = 10,
                ElectionBackoffMs = Math.Max(1, config.ControllerQuorumRetryBackoffMs * 5),
            },
            // A held fetch must come back well before the follower's request timeout resends it.
            FetchMaxWaitMs = Math.Max(1, Math.Min(500, requestTimeout / 4)),
            RetryBackoffMs = config.ControllerQuorumRetryBackoffMs,
        };
    }
}
