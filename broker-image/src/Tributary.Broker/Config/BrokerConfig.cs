using System.Collections.Frozen;

namespace Tributary.Broker.Config;

/// <summary>
/// The broker's typed, validated, immutable configuration. Built only by <see cref="Parse"/>, a pure
/// function of the <c>server.properties</c> values and the environment, using Kafka's key names,
/// defaults and validation rules (KRaft mode: there is no ZooKeeper).
/// </summary>
public sealed partial class BrokerConfig
{
    /// <summary>Keys Tributary defines itself (all under <c>tributary.</c>); settable via <c>TRIBUTARY_*</c>.</summary>
    public static readonly FrozenSet<string> TributaryKeys = new[]
    {
        "tributary.metrics.listener",
        "tributary.shutdown.timeout.ms",
        "tributary.connection.max.inflight.requests",
        "tributary.log.level",
        "tributary.log.format",
        "tributary.log.page.cache.retain.bytes",
    }.ToFrozenSet(StringComparer.Ordinal);

    private BrokerConfig()
    {
    }

    // ---- identity and KRaft ----
    public int NodeId { get; private init; }
    public ProcessRoles ProcessRoles { get; private init; }
    public string? ClusterId { get; private init; }
    public string? Rack { get; private init; }
    public IReadOnlyList<QuorumVoter> QuorumVoters { get; private init; } = [];
    public IReadOnlyList<string> QuorumBootstrapServers { get; private init; } = [];
    public IReadOnlyList<string> ControllerListenerNames { get; private init; } = [];

    /// <summary><c>controller.quorum.election.timeout.ms</c> (1000): base wait before a voter stands for election.</summary>
    public int ControllerQuorumElectionTimeoutMs { get; private init; }

    /// <summary><c>controller.quorum.fetch.timeout.ms</c> (2000): a follower that heard nothing from the leader this long starts an election.</summary>
    public int ControllerQuorumFetchTimeoutMs { get; private init; }

    /// <summary><c>controller.quorum.request.timeout.ms</c> (2000): an unanswered quorum request is resent after this long.</summary>
    public int ControllerQuorumRequestTimeoutMs { get; private init; }

    /// <summary><c>controller.quorum.retry.backoff.ms</c> (20): wait before retrying a failed quorum request.</summary>
    public int ControllerQuorumRetryBackoffMs { get; private init; }

    /// <summary><c>metadata.log.max.record.bytes.between.snapshots</c> (20 MiB): metadata log bytes applied between snapshots.</summary>
    public long MetadataLogMaxRecordBytesBetweenSnapshots { get; private init; }

    // ---- listeners ----
    /// <summary>Addresses to bind. Empty host = all interfaces; port 0 = ephemeral (see the network server for the bound port).</summary>
    public IReadOnlyList<ListenerEndpoint> Listeners { get; private init; } = [];

    /// <summary>Addresses given to clients in Metadata. Empty host or port 0 is filled in by the metadata layer from the bound socket.</summary>
    public IReadOnlyList<ListenerEndpoint> AdvertisedListeners { get; private init; } = [];
    public IReadOnlyDictionary<string, SecurityProtocol> ListenerSecurityProtocols { get; private init; } =
        FrozenDictionary<string, SecurityProtocol>.Empty;
    public string InterBrokerListenerName { get; private init; } = "PLAINTEXT";

    // ---- logs ----
    public IReadOnlyList<string> LogDirs { get; private init; } = [];
    public int NumPartitions { get; private init; }
    public short DefaultReplicationFactor { get; private init; }
    public int MinInsyncReplicas { get; private init; }
    public bool AutoCreateTopicsEnable { get; private init; }
    public bool DeleteTopicEnable { get; private init; }

    /// <summary>Retention by time, resolved from ms/minutes/hours; -1 = unlimited.</summary>
    public long LogRetentionMs { get; private init; }

    /// <summary>Retention by size per partition; -1 = unlimited.</summary>
    public long LogRetentionBytes { get; private init; }
    public int LogSegmentBytes { get; private init; }
    public long LogRollMs { get; private init; }
    public CleanupPolicy LogCleanupPolicy { get; private init; }
    public long LogFlushIntervalMessages { get; private init; }

    /// <summary>Null = no time-based flush (Kafka's default relies on replication, not fsync).</summary>
    public long? LogFlushIntervalMs { get; private init; }
    public long LogRetentionCheckIntervalMs { get; private init; }

    /// <summary><c>log.cleaner.enable</c>: false leaves compacted topics uncleaned (Kafka's meaning).</summary>
    public bool LogCleanerEnable { get; private init; }

    /// <summary><c>log.cleaner.backoff.ms</c>: how often the cleaner looks for logs to compact.</summary>
    public long LogCleanerBackoffMs { get; private init; }

    /// <summary><c>log.flush.offset.checkpoint.interval.ms</c>: how often recovery points and log start offsets are checkpointed (an int, as in Kafka).</summary>
    public int LogFlushOffsetCheckpointIntervalMs { get; private init; }
    public int LogIndexIntervalBytes { get; private init; }
    public int LogIndexSizeMaxBytes { get; private init; }

    /// <summary>
    /// <c>tributary.log.page.cache.retain.bytes</c> (Tributary's own): newest bytes per segment kept in the OS
    /// page cache, older written bytes are dropped from it; -1 leaves the cache to the kernel (Kafka).
    /// </summary>
    public long LogPageCacheRetainBytes { get; private init; }
    public string LogMessageTimestampType { get; private init; } = "CreateTime";
    public string CompressionType { get; private init; } = "producer";
    public bool UncleanLeaderElectionEnable { get; private init; }

    // ---- requests and sockets ----
    public int MessageMaxBytes { get; private init; }
    public int SocketRequestMaxBytes { get; private init; }
    public int SocketSendBufferBytes { get; private init; }
    public int SocketReceiveBufferBytes { get; private init; }

    /// <summary>Idle connections are closed after this long; -1 disables reaping.</summary>
    public long ConnectionsMaxIdleMs { get; private init; }
    public int NumNetworkThreads { get; private init; }
    public int NumIoThreads { get; private init; }
    public int QueuedMaxRequests { get; private init; }
    public int FetchMaxBytes { get; private init; }

    // ---- replication ----
    public long ReplicaLagTimeMaxMs { get; private init; }
    public int ReplicaFetchMaxBytes { get; private init; }
    public int ReplicaFetchWaitMaxMs { get; private init; }
    public int NumReplicaFetchers { get; private init; }

    /// <summary><c>broker.heartbeat.interval.ms</c>: how often a broker heartbeats to the active controller.</summary>
    public int BrokerHeartbeatIntervalMs { get; private init; }

    /// <summary><c>broker.session.timeout.ms</c>: the controller fences a broker it has not heard from for this long.</summary>
    public int BrokerSessionTimeoutMs { get; private init; }

    /// <summary><c>auto.leader.rebalance.enable</c>: the controller moves leadership back to preferred replicas on a timer.</summary>
    public bool AutoLeaderRebalanceEnable { get; private init; }

    /// <summary><c>leader.imbalance.check.interval.seconds</c>: how often the controller checks for leader imbalance.</summary>
    public long LeaderImbalanceCheckIntervalSeconds { get; private init; }

    /// <summary><c>leader.imbalance.per.broker.percentage</c>: the share of a broker's preferred partitions it may lose before a rebalance.</summary>
    public int LeaderImbalancePerBrokerPercentage { get; private init; }

    // ---- groups and transactions ----
    public int OffsetsTopicNumPartitions { get; private init; }
    public short OffsetsTopicReplicationFactor { get; private init; }
    public int OffsetsTopicSegmentBytes { get; private init; }
    public int OffsetsRetentionMinutes { get; private init; }
    public int GroupInitialRebalanceDelayMs { get; private init; }
    public int GroupMinSessionTimeoutMs { get; private init; }
    public int GroupMaxSessionTimeoutMs { get; private init; }
    public int GroupMaxSize { get; private init; }
    public int TransactionalIdExpirationMs { get; private init; }
    public int TransactionMaxTimeoutMs { get; private init; }
    public int TransactionStateLogNumPartitions { get; private init; }
    public short TransactionStateLogReplicationFactor { get; private init; }
    public int TransactionStateLogMinIsr { get; private init; }

    // ---- security ----
    /// <summary><c>authorizer.class.name</c> (""): empty for none, else StandardAuthorizer or AclAuthorizer, which enforce ACLs.</summary>
    public string AuthorizerClassName { get; private init; } = "";

    /// <summary><c>allow.everyone.if.no.acl.found</c> (false): whether a resource without any ACL is open to everyone.</summary>
    public bool AllowEveryoneIfNoAclFound { get; private init; }

    /// <summary><c>super.users</c> (semicolon-separated principals such as <c>User:admin</c>): allowed everything.</summary>
    public IReadOnlyList<string> SuperUsers { get; private init; } = [];

    // ---- Tributary's own ----
    /// <summary>Where <c>/metrics</c>, <c>/healthz</c> and <c>/ready</c> are served; null = disabled.</summary>
    public ListenerEndpoint? MetricsListener { get; private init; }
    public int ShutdownTimeoutMs { get; private init; }

    /// <summary>Requests one connection may have in flight before the broker stops reading from it.</summary>
    public int ConnectionMaxInflightRequests { get; private init; }

    /// <summary><c>tributary.log.level</c>: the broker's own log verbosity (trace, debug, info, warn, error).</summary>
    public string ServerLogLevel { get; private init; } = "info";

    /// <summary><c>tributary.log.format</c>: <c>text</c> (one line per event) or <c>json</c> (for log collectors).</summary>
    public string ServerLogFormat { get; private init; } = "text";

    // ---- bookkeeping ----
    /// <summary>Every effective key/value after environment overrides (for DescribeConfigs and logging).</summary>
    public IReadOnlyDictionary<string, string> Values { get; private init; } = FrozenDictionary<string, string>.Empty;

    /// <summary>Keys neither Kafka-standard-and-accepted nor Tributary's; the broker logs them as warnings.</summary>
    public IReadOnlyList<string> UnknownKeys { get; private init; } = [];

    public bool IsBroker => (ProcessRoles & ProcessRoles.Broker) != 0;
    public bool IsController => (ProcessRoles & ProcessRoles.Controller) != 0;
}
