using System.Collections.Immutable;
using Tributary.Broker.Config;
using Tributary.Broker.Metadata;
using Tributary.Storage;

namespace Tributary.Broker.Topics;

/// <summary>
/// Resolves a topic's effective configs the way Kafka does: the topic override, else the dynamic
/// config for this broker, else the dynamic cluster-wide default, else the static broker config
/// (<c>server.properties</c>), else Kafka's default. Pure over (image, broker config).
/// </summary>
public sealed class TopicConfigResolver
{
    private static readonly IReadOnlyDictionary<string, string> NoOverrides = ImmutableDictionary<string, string>.Empty;

    private readonly BrokerConfig _config;

    public TopicConfigResolver(BrokerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        _config = config;
    }

    /// <summary>
    /// The storage settings for <paramref name="topic"/>'s partition logs. Call when a partition
    /// is created and again whenever the image's topic configs or dynamic broker configs change.
    /// The metadata log itself gets <see cref="MetadataLog.LogConfig"/>.
    /// </summary>
    public LogConfig Resolve(MetadataImage image, string topic)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (topic == TopicNames.ClusterMetadata)
        {
            return MetadataLog.LogConfig;
        }

        return ToLogConfig(image, image.Topic(topic)?.Configs ?? NoOverrides);
    }

    /// <summary>The storage settings a topic with <paramref name="overrides"/> gets.</summary>
    public LogConfig ToLogConfig(MetadataImage image, IReadOnlyDictionary<string, string> overrides)
    {
        string V(string name) => Value(image, overrides, name);
        return new LogConfig
        {
            SegmentBytes = Int(V(TopicConfigDefinitions.SegmentBytes)),
            SegmentMs = Long(V("segment.ms")),
            SegmentIndexBytes = Int(V("segment.index.bytes")),
            RetentionMs = Long(V(TopicConfigDefinitions.RetentionMs)),
            RetentionBytes = Long(V(TopicConfigDefinitions.RetentionBytes)),
            CleanupPolicy = Policy(V(TopicConfigDefinitions.CleanupPolicy)),
            MinCompactionLagMs = Long(V("min.compaction.lag.ms")),
            DeleteRetentionMs = Long(V("delete.retention.ms")),
            MinCleanableDirtyRatio = ConfigValues.TryParseDouble(V("min.cleanable.dirty.ratio"), out var ratio) ? ratio : 0.5,
            IndexIntervalBytes = Int(V("index.interval.bytes")),
            FlushMessages = Long(V("flush.messages")),
            FlushMs = Long(V("flush.ms")),
            MessageTimestampType = V("message.timestamp.type") == "LogAppendTime" ? MessageTimestampType.LogAppendTime : MessageTimestampType.CreateTime,
            MaxMessageBytes = Int(V(TopicConfigDefinitions.MaxMessageBytes)),
            FileDeleteDelayMs = Long(V("file.delete.delay.ms")),
            PageCacheRetainBytes = _config.LogPageCacheRetainBytes,
        };
    }

    /// <summary>The effective <c>min.insync.replicas</c> of a topic (acks=all checks).</summary>
    public int MinInsyncReplicas(MetadataImage image, string topic) =>
        Int(Effective(image, topic, TopicConfigDefinitions.MinInsyncReplicas));

    /// <summary>The effective <c>compression.type</c> of a topic (producer, uncompressed, gzip, ...).</summary>
    public string CompressionType(MetadataImage image, string topic) =>
        Effective(image, topic, TopicConfigDefinitions.CompressionType);

    /// <summary>The effective value of one topic config; throws for unknown names.</summary>
    public string Effective(MetadataImage image, string topic, string name)
    {
        ArgumentNullException.ThrowIfNull(image);
        return Value(image, image.Topic(topic)?.Configs ?? NoOverrides, name);
    }

    /// <summary>Every topic config of <paramref name="topic"/> with value, source and synonyms.</summary>
    public IReadOnlyList<ResolvedConfig> Describe(MetadataImage image, string topic) =>
        Describe(image, image.Topic(topic)?.Configs ?? NoOverrides);

    /// <summary>Every topic config for a topic with <paramref name="overrides"/>, in name order.</summary>
    public IReadOnlyList<ResolvedConfig> Describe(MetadataImage image, IReadOnlyDictionary<string, string> overrides)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(overrides);
        var result = new List<ResolvedConfig>(TopicConfigDefinitions.All.Count);
        foreach (var definition in TopicConfigDefinitions.All)
        {
            var layers = Layers(image, overrides, definition);
            var top = layers[0];
            result.Add(new ResolvedConfig(definition.Name, top.Value, top.Source, definition.Type, ReadOnly: false, IsSensitive: false,
                definition.Documentation, layers));
        }

        return result;
    }

    /// <summary>
    /// The value a topic config takes when the topic does not override it, with its source:
    /// what DescribeConfigs reports for the broker-level synonym.
    /// </summary>
    public ConfigSynonym BrokerDefault(MetadataImage image, TopicConfigDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return Layers(image, NoOverrides, definition)[0];
    }

    /// <summary>Every broker-level layer of a topic config's default (dynamic broker, dynamic default, static, Kafka default).</summary>
    public IReadOnlyList<ConfigSynonym> BrokerLayers(MetadataImage image, TopicConfigDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return Layers(image, NoOverrides, definition);
    }

    /// <summary>
    /// Topics whose effective configs may differ between two images: those with changed overrides,
    /// new topics, and every topic when a dynamic broker config that defaults topic configs changed.
    /// The data path re-resolves <see cref="Resolve"/> for these.
    /// </summary>
    public IReadOnlyList<string> TopicsWithChangedConfigs(MetadataImage previous, MetadataImage current)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(current);
        var brokerDefaultsChanged = !SameConfigs(previous.BrokerConfigs, current.BrokerConfigs)
            || !SameConfigs(previous.BrokerConfigsFor(_config.NodeId), current.BrokerConfigsFor(_config.NodeId));
        var changed = new List<string>();
        foreach (var (name, topic) in current.Topics)
        {
            var before = previous.Topic(name);
            if (brokerDefaultsChanged || before is null || before.Id != topic.Id || !SameConfigs(before.Configs, topic.Configs))
            {
                changed.Add(name);
            }
        }

        return changed;
    }

    private static bool SameConfigs(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        ReferenceEquals(a, b) || (a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && v == kv.Value));

    private string Value(MetadataImage image, IReadOnlyDictionary<string, string> overrides, string name)
    {
        var definition = TopicConfigDefinitions.Find(name) ?? throw new ArgumentException($"unknown topic config {name}", nameof(name));
        return Layers(image, overrides, definition)[0].Value!;
    }

    /// <summary>Every layer that has a value for <paramref name="definition"/>, strongest first; the last is always the default.</summary>
    private List<ConfigSynonym> Layers(MetadataImage image, IReadOnlyDictionary<string, string> overrides, TopicConfigDefinition definition)
    {
        var layers = new List<ConfigSynonym>(4);
        if (overrides.TryGetValue(definition.Name, out var topicValue))
        {
            layers.Add(new ConfigSynonym(definition.Name, topicValue, ConfigSource.TopicConfig));
        }

        var synonym = definition.BrokerSynonym;
        if (synonym is not null)
        {
            if (image.BrokerConfigsFor(_config.NodeId).TryGetValue(synonym, out var perBroker))
            {
                layers.Add(new ConfigSynonym(synonym, perBroker, ConfigSource.DynamicBrokerConfig));
            }

            if (image.BrokerConfigs.TryGetValue(synonym, out var clusterWide))
            {
                layers.Add(new ConfigSynonym(synonym, clusterWide, ConfigSource.DynamicDefaultBrokerConfig));
            }

            var staticValue = StaticValue(definition, synonym);
            if (staticValue is not null)
            {
                layers.Add(new ConfigSynonym(synonym, staticValue, ConfigSource.StaticBrokerConfig));
            }
        }

        layers.Add(new ConfigSynonym(synonym ?? definition.Name, definition.KafkaDefault, ConfigSource.DefaultConfig));
        return layers;
    }

    /// <summary>The value server.properties gives, or null when it does not set the config (or sets it to something invalid).</summary>
    private string? StaticValue(TopicConfigDefinition definition, string synonym)
    {
        var values = _config.Values;
        var isSet = values.ContainsKey(synonym) || definition.ExtraStaticSynonyms.Any(values.ContainsKey);
        if (!isSet)
        {
            return null;
        }

        if (definition.StaticValue is not null)
        {
            return definition.StaticValue(_config);
        }

        if (values.TryGetValue(synonym, out var raw) && definition.Validate(raw) is null)
        {
            return definition.Normalize(raw);
        }

        return null;
    }

    private static int Int(string value) => ConfigValues.TryParseInt(value, out var v) ? v : throw new InvalidOperationException($"'{value}' is not an int");

    private static long Long(string value) => ConfigValues.TryParseLong(value, out var v) ? v : throw new InvalidOperationException($"'{value}' is not a long");

    private static Storage.CleanupPolicy Policy(string value)
    {
        var policy = Storage.CleanupPolicy.None;
        foreach (var item in ConfigValues.SplitList(value))
        {
            policy |= item switch
            {
                "compact" => Storage.CleanupPolicy.Compact,
                "delete" => Storage.CleanupPolicy.Delete,
                _ => Storage.CleanupPolicy.None,
            };
        }

        return policy == Storage.CleanupPolicy.None ? Storage.CleanupPolicy.Delete : policy;
    }
}
