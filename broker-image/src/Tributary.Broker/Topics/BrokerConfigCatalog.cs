using Tributary.Broker.Config;
using Tributary.Broker.Metadata;
using Tributary.Broker.Metadata.Controller;

namespace Tributary.Broker.Topics;

/// <summary>
/// The broker configs DescribeConfigs reports and the ones AlterConfigs may change. Dynamic
/// (alterable) broker configs are the broker-level defaults of topic configs
/// (<c>log.retention.ms</c>, <c>message.max.bytes</c>, ...) and, per broker only, the listener
/// security configs (<see cref="ListenerSecurityConfigs"/>); everything else is read-only.
/// </summary>
public sealed class BrokerConfigCatalog
{
    private static readonly (string Key, ConfigType Type, Func<BrokerConfig, string?> Value)[] StaticKeys =
    [
        ("node.id", ConfigType.Int, c => F(c.NodeId)),
        ("process.roles", ConfigType.List, c => string.Join(',', Roles(c))),
        ("broker.rack", ConfigType.String, c => c.Rack),
        ("listeners", ConfigType.String, c => string.Join(',', c.Listeners)),
        ("advertised.listeners", ConfigType.String, c => string.Join(',', c.AdvertisedListeners)),
        ("listener.security.protocol.map", ConfigType.String, c => string.Join(',', c.ListenerSecurityProtocols.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}:{p.Value.ToKafkaName()}"))),
        ("inter.broker.listener.name", ConfigType.String, c => c.InterBrokerListenerName),
        ("controller.listener.names", ConfigType.String, c => string.Join(',', c.ControllerListenerNames)),
        ("controller.quorum.voters", ConfigType.List, c => c.Values.GetValueOrDefault("controller.quorum.voters") ?? ""),
        ("log.dirs", ConfigType.String, c => string.Join(',', c.LogDirs)),
        ("num.partitions", ConfigType.Int, c => F(c.NumPartitions)),
        ("default.replication.factor", ConfigType.Int, c => F(c.DefaultReplicationFactor)),
        ("auto.create.topics.enable", ConfigType.Boolean, c => ConfigValues.Format(c.AutoCreateTopicsEnable)),
        ("delete.topic.enable", ConfigType.Boolean, c => ConfigValues.Format(c.DeleteTopicEnable)),
        ("log.retention.check.interval.ms", ConfigType.Long, c => F(c.LogRetentionCheckIntervalMs)),
        ("log.cleaner.enable", ConfigType.Boolean, c => ConfigValues.Format(c.LogCleanerEnable)),
        ("log.cleaner.backoff.ms", ConfigType.Long, c => F(c.LogCleanerBackoffMs)),
        ("log.flush.offset.checkpoint.interval.ms", ConfigType.Int, c => F(c.LogFlushOffsetCheckpointIntervalMs)),
        ("tributary.log.page.cache.retain.bytes", ConfigType.Long, c => F(c.LogPageCacheRetainBytes)),
        ("socket.request.max.bytes", ConfigType.Int, c => F(c.SocketRequestMaxBytes)),
        ("socket.send.buffer.bytes", ConfigType.Int, c => F(c.SocketSendBufferBytes)),
        ("socket.receive.buffer.bytes", ConfigType.Int, c => F(c.SocketReceiveBufferBytes)),
        ("connections.max.idle.ms", ConfigType.Long, c => F(c.ConnectionsMaxIdleMs)),
        ("num.network.threads", ConfigType.Int, c => F(c.NumNetworkThreads)),
        ("num.io.threads", ConfigType.Int, c => F(c.NumIoThreads)),
        ("queued.max.requests", ConfigType.Int, c => F(c.QueuedMaxRequests)),
        ("fetch.max.bytes", ConfigType.Int, c => F(c.FetchMaxBytes)),
        ("replica.lag.time.max.ms", ConfigType.Long, c => F(c.ReplicaLagTimeMaxMs)),
        ("replica.fetch.max.bytes", ConfigType.Int, c => F(c.ReplicaFetchMaxBytes)),
        ("replica.fetch.wait.max.ms", ConfigType.Int, c => F(c.ReplicaFetchWaitMaxMs)),
        ("num.replica.fetchers", ConfigType.Int, c => F(c.NumReplicaFetchers)),
        ("offsets.topic.num.partitions", ConfigType.Int, c => F(c.OffsetsTopicNumPartitions)),
        ("offsets.topic.replication.factor", ConfigType.Short, c => F(c.OffsetsTopicReplicationFactor)),
        ("offsets.topic.segment.bytes", ConfigType.Int, c => F(c.OffsetsTopicSegmentBytes)),
        ("offsets.retention.minutes", ConfigType.Int, c => F(c.OffsetsRetentionMinutes)),
        ("group.initial.rebalance.delay.ms", ConfigType.Int, c => F(c.GroupInitialRebalanceDelayMs)),
        ("group.min.session.timeout.ms", ConfigType.Int, c => F(c.GroupMinSessionTimeoutMs)),
        ("group.max.session.timeout.ms", ConfigType.Int, c => F(c.GroupMaxSessionTimeoutMs)),
        ("group.max.size", ConfigType.Int, c => F(c.GroupMaxSize)),
        ("transactional.id.expiration.ms", ConfigType.Int, c => F(c.TransactionalIdExpirationMs)),
        ("transaction.max.timeout.ms", ConfigType.Int, c => F(c.TransactionMaxTimeoutMs)),
        ("transaction.state.log.num.partitions", ConfigType.Int, c => F(c.TransactionStateLogNumPartitions)),
        ("transaction.state.log.replication.factor", ConfigType.Short, c => F(c.TransactionStateLogReplicationFactor)),
        ("transaction.state.log.min.isr", ConfigType.Int, c => F(c.TransactionStateLogMinIsr)),
    ];

    private readonly BrokerConfig _config;
    private readonly TopicConfigResolver _resolver;

    public BrokerConfigCatalog(BrokerConfig config, TopicConfigResolver resolver)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(resolver);
        _config = config;
        _resolver = resolver;
    }

    /// <summary>Whether <paramref name="key"/> may be set through AlterConfigs / IncrementalAlterConfigs.</summary>
    public static bool IsDynamic(string key) => Find(key) is not null;

    /// <summary>The type of a broker config, for list operations (APPEND/SUBTRACT).</summary>
    public static ConfigType TypeOf(string key) => Find(key)?.Type ?? ConfigType.Unknown;

    /// <summary>
    /// Checks dynamic broker config values: keys that cannot change at run time and bad values give
    /// an error message (INVALID_CONFIG), else null. <paramref name="perBroker"/> is false for the
    /// cluster-wide default resource (name ""), which refuses the per-broker security configs.
    /// </summary>
    public static string? ValidateDynamic(IEnumerable<KeyValuePair<string, string?>> configs, bool perBroker)
    {
        ArgumentNullException.ThrowIfNull(configs);
        var list = configs.ToList();
        var notDynamic = list.Select(c => c.Key).Where(k => !IsDynamic(k)).ToList();
        if (notDynamic.Count > 0)
        {
            return $"Cannot update these configs dynamically: {string.Join(", ", notDynamic)}";
        }

        foreach (var (key, value) in list)
        {
            if (TopicConfigDefinitions.FindByBrokerSynonym(key)?.Validate(value, key) is { } error)
            {
                return error;
            }
        }

        return ListenerSecurityConfigs.Validate(list, perBroker);
    }

    /// <summary>Normalizes a valid dynamic broker value (trims, canonical booleans and lists).</summary>
    public static string Normalize(string key, string value) => Find(key)?.Normalize(value) ?? value.Trim();

    private static TopicConfigDefinition? Find(string key) =>
        TopicConfigDefinitions.FindByBrokerSynonym(key) ?? ListenerSecurityConfigs.Find(key)?.Definition;

    /// <summary>
    /// Every config of this broker with its effective value and source (DescribeConfigs for the
    /// broker's own id), in name order.
    /// </summary>
    public IReadOnlyList<ResolvedConfig> DescribeBroker(MetadataImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var result = new SortedDictionary<string, ResolvedConfig>(StringComparer.Ordinal);
        foreach (var definition in TopicConfigDefinitions.All.Where(d => d.BrokerSynonym is not null))
        {
            var layers = _resolver.BrokerLayers(image, definition);
            result[definition.BrokerSynonym!] = new ResolvedConfig(definition.BrokerSynonym!, layers[0].Value, layers[0].Source, definition.Type,
                ReadOnly: false, IsSensitive: false, definition.Documentation, layers);
        }

        foreach (var (key, type, value) in StaticKeys)
        {
            result[key] = Static(key, type, value(_config));
        }

        var dynamic = image.BrokerConfigsFor(_config.NodeId);
        foreach (var security in ListenerSecurityConfigs.All)
        {
            result[security.Definition.Name] = Security(security, security.Definition.Name, dynamic);
        }

        // Listener-prefixed security configs appear only once set for this broker.
        foreach (var key in dynamic.Keys.Where(ListenerSecurityConfigs.IsListenerPrefixed))
        {
            if (ListenerSecurityConfigs.Find(key) is { } security)
            {
                result[key] = Security(security, key, dynamic);
            }
        }

        foreach (var (key, raw) in _config.Values)
        {
            if (!result.ContainsKey(key))
            {
                result[key] = Static(key, IsSensitive(key) ? ConfigType.Password : ConfigType.String, raw);
            }
        }

        return [.. result.Values];
    }

    /// <summary>The dynamic configs set for every broker (DescribeConfigs for the resource name "").</summary>
    public static IReadOnlyList<ResolvedConfig> DescribeClusterDefaults(MetadataImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return [.. image.BrokerConfigs.Select(kv => new ResolvedConfig(kv.Key, kv.Value, ConfigSource.DynamicDefaultBrokerConfig, TypeOf(kv.Key),
            ReadOnly: false, IsSensitive: false, TopicConfigDefinitions.FindByBrokerSynonym(kv.Key)?.Documentation,
            [new ConfigSynonym(kv.Key, kv.Value, ConfigSource.DynamicDefaultBrokerConfig)]))];
    }

    /// <summary>Passwords, keys and JAAS configs are reported without their value.</summary>
    public static bool IsSensitive(string key) =>
        key.Contains("password", StringComparison.Ordinal) || key.EndsWith(".jaas.config", StringComparison.Ordinal)
        || key is "ssl.keystore.key" or "delegation.token.secret.key" or "delegation.token.master.key"
        || ListenerSecurityConfigs.Find(key)?.IsSensitive == true;

    /// <summary>
    /// A listener security config of this broker: its dynamic per-broker value, else (for a
    /// prefixed key) the dynamic value of its base key, else the static value, else Kafka's default.
    /// </summary>
    private ResolvedConfig Security(ListenerSecurityConfig security, string key, IReadOnlyDictionary<string, string> dynamic)
    {
        var layers = new List<ConfigSynonym>(4);
        var baseName = security.Definition.Name;
        string[] names = key == baseName ? [key] : [key, baseName];
        foreach (var name in names)
        {
            if (dynamic.TryGetValue(name, out var dynamicValue))
            {
                layers.Add(new ConfigSynonym(name, dynamicValue, ConfigSource.DynamicBrokerConfig));
            }
        }

        foreach (var name in names)
        {
            if (_config.Values.TryGetValue(name, out var staticValue))
            {
                layers.Add(new ConfigSynonym(name, staticValue, ConfigSource.StaticBrokerConfig));
            }
        }

        layers.Add(new ConfigSynonym(baseName, security.Default, ConfigSource.DefaultConfig));
        var sensitive = security.IsSensitive;
        if (sensitive)
        {
            layers = [.. layers.Select(l => l with { Value = null })];
        }

        return new ResolvedConfig(key, layers[0].Value, layers[0].Source, security.Definition.Type, ReadOnly: false, sensitive,
            security.Definition.Documentation, layers);
    }

    private ResolvedConfig Static(string key, ConfigType type, string? value)
    {
        var source = _config.Values.ContainsKey(key) ? ConfigSource.StaticBrokerConfig : ConfigSource.DefaultConfig;
        var sensitive = IsSensitive(key);
        var shown = sensitive ? null : value;
        return new ResolvedConfig(key, shown, source, type, ReadOnly: true, sensitive, null, [new ConfigSynonym(key, shown, source)]);
    }

    private static IEnumerable<string> Roles(BrokerConfig c)
    {
        if (c.IsBroker)
        {
            yield return "broker";
        }

        if (c.IsController)
        {
            yield return "controller";
        }
    }

    private static string F(long value) => ConfigValues.Format(value);
}
