using System.Collections.Frozen;
using System.Globalization;

namespace Tributary.Broker.Config;

public sealed partial class BrokerConfig
{
    private const string DefaultProtocolMap = "PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT,SASL_SSL:SASL_SSL";
    private const long MsPerMinute = 60_000;
    private const long MsPerHour = 3_600_000;

    /// <summary>
    /// Builds the configuration from file values and the process environment (see
    /// <see cref="EnvironmentOverrides"/> for the variable naming). Throws <see cref="ConfigException"/>
    /// naming the key and value for anything Kafka would refuse. <paramref name="overrides"/>
    /// (from <c>--override key=value</c>) win over both the file and the environment.
    /// </summary>
    public static BrokerConfig Parse(
        IReadOnlyDictionary<string, string> props,
        IReadOnlyDictionary<string, string> env,
        IReadOnlyDictionary<string, string>? overrides = null)
    {
        ArgumentNullException.ThrowIfNull(props);
        ArgumentNullException.ThrowIfNull(env);
        var values = EnvironmentOverrides.Apply(props, env, TributaryKeys);
        foreach (var (key, value) in overrides ?? FrozenDictionary<string, string>.Empty)
        {
            values[key] = value;
        }
        var r = new ConfigReader(values);
        r.Accept(AcceptedKafkaKeys.Keys);

        int nodeId = ReadNodeId(r);
        ProcessRoles roles = ReadRoles(r);
        var controllerNames = r.GetList("controller.listener.names", "").Select(n => n.ToUpperInvariant()).ToArray();
        var listeners = ReadListeners("listeners", r.GetString("listeners", "PLAINTEXT://:9092"));
        var protocols = ReadProtocolMap(r, controllerNames);
        var advertised = ReadAdvertised(r, listeners, controllerNames, roles);
        string interBroker = ReadInterBrokerListener(r);
        var voters = r.GetList("controller.quorum.voters", "").Select(v => QuorumVoter.Parse(v, "controller.quorum.voters")).ToArray();
        var bootstrap = r.GetList("controller.quorum.bootstrap.servers", "");
        foreach (string server in bootstrap)
        {
            HostPort.Parse(server, "controller.quorum.bootstrap.servers", string.Join(',', bootstrap));
        }

        ValidateKRaft(nodeId, roles, listeners, advertised, protocols, controllerNames, interBroker, voters, bootstrap);

        var logDirs = r.GetList("log.dirs", "");
        if (logDirs.Count == 0)
        {
            logDirs = r.GetList("log.dir", "/tmp/kafka-logs");
        }
        else
        {
            r.Has("log.dir");
        }

        if (logDirs.Count == 0)
        {
            throw new ConfigException("log.dirs", r.GetString("log.dirs") ?? "", "at least one log directory is required");
        }

        var config = new BrokerConfig
        {
            NodeId = nodeId,
            ProcessRoles = roles,
            ClusterId = ReadClusterId(r),
            Rack = NullIfEmpty(r.GetString("broker.rack")),
            QuorumVoters = voters,
            QuorumBootstrapServers = bootstrap,
            ControllerListenerNames = controllerNames,
            ControllerQuorumElectionTimeoutMs = r.GetInt("controller.quorum.election.timeout.ms", 1000, min: 1),
            ControllerQuorumFetchTimeoutMs = r.GetInt("controller.quorum.fetch.timeout.ms", 2000, min: 1),
            ControllerQuorumRequestTimeoutMs = r.GetInt("controller.quorum.request.timeout.ms", 2000, min: 1),
            ControllerQuorumRetryBackoffMs = r.GetInt("controller.quorum.retry.backoff.ms", 20, min: 0),
            MetadataLogMaxRecordBytesBetweenSnapshots = r.GetLong("metadata.log.max.record.bytes.between.snapshots", 20 * 1024 * 1024, min: 1),
            Listeners = listeners,
            AdvertisedListeners = advertised,
            ListenerSecurityProtocols = protocols,
            InterBrokerListenerName = interBroker,
            LogDirs = logDirs,
            NumPartitions = r.GetInt("num.partitions", 1, min: 1),
            DefaultReplicationFactor = (short)r.GetInt("default.replication.factor", 1, min: 1, max: short.MaxValue),
            MinInsyncReplicas = r.GetInt("min.insync.replicas", 1, min: 1),
            AutoCreateTopicsEnable = r.GetBool("auto.create.topics.enable", true),
            DeleteTopicEnable = r.GetBool("delete.topic.enable", true),
            LogRetentionMs = ReadRetentionMs(r),
            LogRetentionBytes = r.GetLong("log.retention.bytes", -1, min: -1),
            LogSegmentBytes = r.GetInt("log.segment.bytes", 1024 * 1024 * 1024, min: 14),
            LogRollMs = r.GetOptionalLong("log.roll.ms", min: 1)
                ?? r.GetInt("log.roll.hours", 168, min: 1) * MsPerHour,
            LogCleanupPolicy = ReadCleanupPolicy(r),
            LogFlushIntervalMessages = r.GetLong("log.flush.interval.messages", long.MaxValue, min: 1),
            LogFlushIntervalMs = r.GetOptionalLong("log.flush.interval.ms", min: 0),
            LogRetentionCheckIntervalMs = r.GetLong("log.retention.check.interval.ms", 300_000, min: 1),
            LogCleanerEnable = r.GetBool("log.cleaner.enable", true),
            LogCleanerBackoffMs = r.GetLong("log.cleaner.backoff.ms", 15_000, min: 1),
            LogFlushOffsetCheckpointIntervalMs = r.GetInt("log.flush.offset.checkpoint.interval.ms", 60_000, min: 1),
            LogIndexIntervalBytes = r.GetInt("log.index.interval.bytes", 4096, min: 0),
            LogPageCacheRetainBytes = r.GetLong("tributary.log.page.cache.retain.bytes", Storage.LogConfig.DefaultPageCacheRetainBytes, min: -1),
            LogIndexSizeMaxBytes = r.GetInt("log.index.size.max.bytes", 10 * 1024 * 1024, min: 4),
            LogMessageTimestampType = ReadOneOf(r, "log.message.timestamp.type", "CreateTime", "CreateTime", "LogAppendTime"),
            CompressionType = ReadOneOf(r, "compression.type", "producer", "producer", "uncompressed", "gzip", "snappy", "lz4", "zstd"),
            UncleanLeaderElectionEnable = r.GetBool("unclean.leader.election.enable", false),
            MessageMaxBytes = r.GetInt("message.max.bytes", 1024 * 1024 + 12, min: 0),
            SocketRequestMaxBytes = r.GetInt("socket.request.max.bytes", 100 * 1024 * 1024, min: 1),
            // -1 (the OS default, i.e. Linux's buffer autotuning) rather than Kafka's fixed 100 KiB:
            // a fixed SO_RCVBUF turns autotuning off, and a 200 KiB window stalls a client
            // pipelining 1 MB produce requests while the broker appends the previous one.
            // Setting either key still pins the buffer as in Kafka.
            SocketSendBufferBytes = r.GetInt("socket.send.buffer.bytes", -1, min: -1),
            SocketReceiveBufferBytes = r.GetInt("socket.receive.buffer.bytes", -1, min: -1),
            ConnectionsMaxIdleMs = ReadIdleMs(r),
            NumNetworkThreads = r.GetInt("num.network.threads", 3, min: 1),
            NumIoThreads = r.GetInt("num.io.threads", 8, min: 1),
            QueuedMaxRequests = r.GetInt("queued.max.requests", 500, min: 1),
            FetchMaxBytes = r.GetInt("fetch.max.bytes", 55 * 1024 * 1024, min: 1024),
            ReplicaLagTimeMaxMs = r.GetLong("replica.lag.time.max.ms", 30_000, min: 1),
            ReplicaFetchMaxBytes = r.GetInt("replica.fetch.max.bytes", 1024 * 1024, min: 0),
            ReplicaFetchWaitMaxMs = r.GetInt("replica.fetch.wait.max.ms", 500, min: 0),
            NumReplicaFetchers = r.GetInt("num.replica.fetchers", 1, min: 1),
            BrokerHeartbeatIntervalMs = r.GetInt("broker.heartbeat.interval.ms", 2000, min: 1),
            BrokerSessionTimeoutMs = r.GetInt("broker.session.timeout.ms", 9000, min: 1),
            AutoLeaderRebalanceEnable = r.GetBool("auto.leader.rebalance.enable", true),
            LeaderImbalanceCheckIntervalSeconds = r.GetLong("leader.imbalance.check.interval.seconds", 300, min: 1),
            LeaderImbalancePerBrokerPercentage = r.GetInt("leader.imbalance.per.broker.percentage", 10, min: 0, max: 100),
            OffsetsTopicNumPartitions = r.GetInt("offsets.topic.num.partitions", 50, min: 1),
            OffsetsTopicReplicationFactor = (short)r.GetInt("offsets.topic.replication.factor", 3, min: 1, max: short.MaxValue),
            OffsetsTopicSegmentBytes = r.GetInt("offsets.topic.segment.bytes", 100 * 1024 * 1024, min: 1),
            OffsetsRetentionMinutes = r.GetInt("offsets.retention.minutes", 7 * 24 * 60, min: 1),
            GroupInitialRebalanceDelayMs = r.GetInt("group.initial.rebalance.delay.ms", 3000, min: 0),
            GroupMinSessionTimeoutMs = r.GetInt("group.min.session.timeout.ms", 6000, min: 0),
            GroupMaxSessionTimeoutMs = r.GetInt("group.max.session.timeout.ms", 1_800_000, min: 0),
            GroupMaxSize = r.GetInt("group.max.size", int.MaxValue, min: 1),
            TransactionalIdExpirationMs = r.GetInt("transactional.id.expiration.ms", 7 * 24 * 3600 * 1000, min: 1),
            TransactionMaxTimeoutMs = r.GetInt("transaction.max.timeout.ms", 900_000, min: 1),
            TransactionStateLogNumPartitions = r.GetInt("transaction.state.log.num.partitions", 50, min: 1),
            TransactionStateLogReplicationFactor = (short)r.GetInt("transaction.state.log.replication.factor", 3, min: 1, max: short.MaxValue),
            TransactionStateLogMinIsr = r.GetInt("transaction.state.log.min.isr", 2, min: 1),
            AuthorizerClassName = ReadAuthorizer(r),
            AllowEveryoneIfNoAclFound = r.GetBool("allow.everyone.if.no.acl.found", false),
            SuperUsers = [.. r.GetString("super.users", "").Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)],
            MetricsListener = ReadMetricsListener(r),
            ShutdownTimeoutMs = r.GetInt("tributary.shutdown.timeout.ms", 30_000, min: 0),
            ConnectionMaxInflightRequests = r.GetInt("tributary.connection.max.inflight.requests", 64, min: 1, max: 4096),
            ServerLogLevel = ReadOneOf(r, "tributary.log.level", "info", "trace", "debug", "info", "warn", "error"),
            ServerLogFormat = ReadOneOf(r, "tributary.log.format", "text", "text", "json"),
            Values = values.ToFrozenDictionary(StringComparer.Ordinal),

            // Last on purpose: initializers run in order, so every key above has been consulted.
            UnknownKeys = r.UnknownKeys().Order(StringComparer.Ordinal).ToArray(),
        };

        if (config.GroupMinSessionTimeoutMs > config.GroupMaxSessionTimeoutMs)
        {
            throw new ConfigException("group.min.session.timeout.ms", config.GroupMinSessionTimeoutMs.ToString(CultureInfo.InvariantCulture),
                $"must not exceed group.max.session.timeout.ms ({config.GroupMaxSessionTimeoutMs})");
        }

        return config;
    }
}
