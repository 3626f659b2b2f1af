using System.Collections.Frozen;
using Tributary.Broker.Config;

namespace Tributary.Broker.Topics;

/// <summary>
/// Every standard Kafka topic config (Kafka 3.9's TopicConfig), with its type, validation,
/// default and broker synonym. Unknown keys are rejected with INVALID_CONFIG.
/// </summary>
public static class TopicConfigDefinitions
{
    public const string CleanupPolicy = "cleanup.policy";
    public const string CompressionType = "compression.type";
    public const string MinInsyncReplicas = "min.insync.replicas";
    public const string MaxMessageBytes = "max.message.bytes";
    public const string SegmentBytes = "segment.bytes";
    public const string RetentionMs = "retention.ms";
    public const string RetentionBytes = "retention.bytes";
    public const string RemoteStorageEnable = "remote.storage.enable";

    private const string LongMax = "9223372036854775807";
    private const string WeekMs = "604800000";

    /// <summary>All definitions in name order (the order DescribeConfigs lists them).</summary>
    public static IReadOnlyList<TopicConfigDefinition> All { get; } = Build();

    private static readonly FrozenDictionary<string, TopicConfigDefinition> ByName =
        All.ToFrozenDictionary(d => d.Name, StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, TopicConfigDefinition> ByBrokerSynonym =
        All.Where(d => d.BrokerSynonym is not null).ToFrozenDictionary(d => d.BrokerSynonym!, StringComparer.Ordinal);

    public static TopicConfigDefinition? Find(string name) => ByName.GetValueOrDefault(name);

    /// <summary>The topic config a broker key is the default of (<c>log.retention.ms</c> -> <c>retention.ms</c>).</summary>
    public static TopicConfigDefinition? FindByBrokerSynonym(string brokerKey) => ByBrokerSynonym.GetValueOrDefault(brokerKey);

    /// <summary>
    /// Checks a set of topic overrides: unknown keys and bad values give an error message
    /// (reported as INVALID_CONFIG), else null.
    /// </summary>
    public static string? Validate(IEnumerable<KeyValuePair<string, string?>> configs)
    {
        ArgumentNullException.ThrowIfNull(configs);
        foreach (var (name, value) in configs)
        {
            var definition = Find(name);
            if (definition is null)
            {
                return $"Unknown topic config name: {name}";
            }

            var error = definition.Validate(value);
            if (error is not null)
            {
                return error;
            }
        }

        return null;
    }

    private static TopicConfigDefinition[] Build()
    {
        TopicConfigDefinition[] list =
        [
            new()
            {
                Name = CleanupPolicy, Type = ConfigType.List, KafkaDefault = "delete", BrokerSynonym = "log.cleanup.policy",
                ValidValues = ["compact", "delete"], StaticValue = c => FormatPolicy(c.LogCleanupPolicy),
                Documentation = "Retention policy for old log segments: delete, compact, or both (compact,delete).",
            },
            new()
            {
                Name = "compression.gzip.level", Type = ConfigType.Int, KafkaDefault = "-1", BrokerSynonym = "compression.gzip.level",
                Min = -1, Max = 9, Custom = v => ConfigValues.TryParseInt(v, out var l) && l == 0 ? $"Invalid value {v} for configuration compression.gzip.level: Value must be -1 or between 1 and 9" : null,
                Documentation = "The compression level to use if compression.type is set to gzip.",
            },
            new()
            {
                Name = "compression.lz4.level", Type = ConfigType.Int, KafkaDefault = "9", BrokerSynonym = "compression.lz4.level",
                Min = 1, Max = 17, Documentation = "The compression level to use if compression.type is set to lz4.",
            },
            new()
            {
                Name = CompressionType, Type = ConfigType.String, KafkaDefault = "producer", BrokerSynonym = "compression.type",
                ValidValues = ["uncompressed", "zstd", "lz4", "snappy", "gzip", "producer"], StaticValue = c => c.CompressionType,
                Documentation = "The final compression type of the topic: a codec, uncompressed, or producer (keep the producer's codec).",
            },
            new()
            {
                Name = "compression.zstd.level", Type = ConfigType.Int, KafkaDefault = "3", BrokerSynonym = "compression.zstd.level",
                Min = -131072, Max = 22, Documentation = "The compression level to use if compression.type is set to zstd.",
            },
            new()
            {
                Name = "delete.retention.ms", Type = ConfigType.Long, KafkaDefault = "86400000", BrokerSynonym = "log.cleaner.delete.retention.ms",
                Min = 0, Documentation = "How long delete tombstones are retained in compacted topics.",
            },
            new()
            {
                Name = "file.delete.delay.ms", Type = ConfigType.Long, KafkaDefault = "60000", BrokerSynonym = "log.segment.delete.delay.ms",
                Min = 0, Documentation = "How long to wait before deleting a file from the filesystem.",
            },
            new()
            {
                Name = "flush.messages", Type = ConfigType.Long, KafkaDefault = LongMax, BrokerSynonym = "log.flush.interval.messages",
                Min = 1, StaticValue = c => ConfigValues.Format(c.LogFlushIntervalMessages),
                Documentation = "Force an fsync after this many messages (default: rely on replication).",
            },
            new()
            {
                Name = "flush.ms", Type = ConfigType.Long, KafkaDefault = LongMax, BrokerSynonym = "log.flush.interval.ms",
                Min = 0, StaticValue = c => ConfigValues.Format(c.LogFlushIntervalMs ?? long.MaxValue),
                Documentation = "Force an fsync once unflushed data is this old (default: rely on replication).",
            },
            new()
            {
                Name = "follower.replication.throttled.replicas", Type = ConfigType.List, KafkaDefault = "",
                Custom = ValidateThrottledReplicas,
                Documentation = "Replicas (partition:brokerId, or *) whose log replication is throttled on the follower side.",
            },
            new()
            {
                Name = "index.interval.bytes", Type = ConfigType.Int, KafkaDefault = "4096", BrokerSynonym = "log.index.interval.bytes",
                Min = 0, StaticValue = c => ConfigValues.Format(c.LogIndexIntervalBytes),
                Documentation = "How often an entry is added to the offset index.",
            },
            new()
            {
                Name = "leader.replication.throttled.replicas", Type = ConfigType.List, KafkaDefault = "",
                Custom = ValidateThrottledReplicas,
                Documentation = "Replicas (partition:brokerId, or *) whose log replication is throttled on the leader side.",
            },
            new()
            {
                Name = "local.retention.bytes", Type = ConfigType.Long, KafkaDefault = "-2", BrokerSynonym = "log.local.retention.bytes",
                Min = -2, Documentation = "Local retention by size when tiered storage is enabled (-2: use retention.bytes).",
            },
            new()
            {
                Name = "local.retention.ms", Type = ConfigType.Long, KafkaDefault = "-2", BrokerSynonym = "log.local.retention.ms",
                Min = -2, Documentation = "Local retention by time when tiered storage is enabled (-2: use retention.ms).",
            },
            new()
            {
                Name = "max.compaction.lag.ms", Type = ConfigType.Long, KafkaDefault = LongMax, BrokerSynonym = "log.cleaner.max.compaction.lag.ms",
                Min = 1, Documentation = "The maximum time a message remains ineligible for compaction.",
            },
            new()
            {
                Name = MaxMessageBytes, Type = ConfigType.Int, KafkaDefault = "1048588", BrokerSynonym = "message.max.bytes",
                Min = 0, StaticValue = c => ConfigValues.Format(c.MessageMaxBytes),
                Documentation = "The largest record batch size allowed.",
            },
            new()
            {
                Name = "message.downconversion.enable", Type = ConfigType.Boolean, KafkaDefault = "true", BrokerSynonym = "log.message.downconversion.enable",
                Documentation = "Whether down-conversion of message formats is enabled for consume requests.",
            },
            new()
            {
                Name = "message.format.version", Type = ConfigType.String, KafkaDefault = "3.0-IV1", BrokerSynonym = "log.message.format.version",
                Custom = ValidateMessageFormatVersion,
                Documentation = "Deprecated: the message format version (ignored from 3.0; always v2).",
            },
            new()
            {
                Name = "message.timestamp.after.max.ms", Type = ConfigType.Long, KafkaDefault = LongMax, BrokerSynonym = "log.message.timestamp.after.max.ms",
                Min = 0, Documentation = "How far a message timestamp may be ahead of the broker's time.",
            },
            new()
            {
                Name = "message.timestamp.before.max.ms", Type = ConfigType.Long, KafkaDefault = LongMax, BrokerSynonym = "log.message.timestamp.before.max.ms",
                Min = 0, Documentation = "How far a message timestamp may be behind the broker's time.",
            },
            new()
            {
                Name = "message.timestamp.difference.max.ms", Type = ConfigType.Long, KafkaDefault = LongMax, BrokerSynonym = "log.message.timestamp.difference.max.ms",
                Min = 0, Documentation = "Deprecated: the maximum difference between a message timestamp and the broker's time.",
            },
            new()
            {
                Name = "message.timestamp.type", Type = ConfigType.String, KafkaDefault = "CreateTime", BrokerSynonym = "log.message.timestamp.type",
                ValidValues = ["CreateTime", "LogAppendTime"], StaticValue = c => c.LogMessageTimestampType,
                Documentation = "Whether message timestamps are the producer's (CreateTime) or the broker's append time (LogAppendTime).",
            },
            new()
            {
                Name = "min.cleanable.dirty.ratio", Type = ConfigType.Double, KafkaDefault = "0.5", BrokerSynonym = "log.cleaner.min.cleanable.ratio",
                MinDouble = 0, MaxDouble = 1, Documentation = "The dirty share of a log above which the cleaner compacts it.",
            },
            new()
            {
                Name = "min.compaction.lag.ms", Type = ConfigType.Long, KafkaDefault = "0", BrokerSynonym = "log.cleaner.min.compaction.lag.ms",
                Min = 0, Documentation = "The minimum time a message remains uncompacted.",
            },
            new()
            {
                Name = MinInsyncReplicas, Type = ConfigType.Int, KafkaDefault = "1", BrokerSynonym = "min.insync.replicas",
                Min = 1, StaticValue = c => ConfigValues.Format(c.MinInsyncReplicas),
                Documentation = "The minimum number of in-sync replicas that must acknowledge an acks=all write.",
            },
            new()
            {
                Name = "preallocate", Type = ConfigType.Boolean, KafkaDefault = "false", BrokerSynonym = "log.preallocate",
                Documentation = "Whether to preallocate the file on disk when creating a new log segment.",
            },
            new()
            {
                Name = "remote.log.copy.disable", Type = ConfigType.Boolean, KafkaDefault = "false",
                Documentation = "Stop copying segments to remote storage (tiered storage).",
            },
            new()
            {
                Name = "remote.log.delete.on.disable", Type = ConfigType.Boolean, KafkaDefault = "false",
                Documentation = "Delete remote data when tiered storage is disabled for the topic.",
            },
            new()
            {
                Name = RemoteStorageEnable, Type = ConfigType.Boolean, KafkaDefault = "false",
                Custom = v => ConfigValues.TryParseBool(v, out var on) && on ? "Tiered Storage functionality is disabled in the broker. Topic cannot be configured with remote log storage." : null,
                Documentation = "Whether tiered storage is enabled for the topic (not supported by this broker).",
            },
            new()
            {
                Name = RetentionBytes, Type = ConfigType.Long, KafkaDefault = "-1", BrokerSynonym = "log.retention.bytes",
                StaticValue = c => ConfigValues.Format(c.LogRetentionBytes),
                Documentation = "The maximum size a partition log may grow to before old segments are discarded (-1: no limit).",
            },
            new()
            {
                Name = RetentionMs, Type = ConfigType.Long, KafkaDefault = WeekMs, BrokerSynonym = "log.retention.ms",
                ExtraStaticSynonyms = ["log.retention.minutes", "log.retention.hours"], Min = -1,
                StaticValue = c => ConfigValues.Format(c.LogRetentionMs),
                Documentation = "The maximum time a log segment is kept before it is discarded (-1: no limit).",
            },
            new()
            {
                Name = SegmentBytes, Type = ConfigType.Int, KafkaDefault = "1073741824", BrokerSynonym = "log.segment.bytes",
                Min = 14, StaticValue = c => ConfigValues.Format(c.LogSegmentBytes),
                Documentation = "The segment file size of the log.",
            },
            new()
            {
                Name = "segment.index.bytes", Type = ConfigType.Int, KafkaDefault = "10485760", BrokerSynonym = "log.index.size.max.bytes",
                Min = 4, StaticValue = c => ConfigValues.Format(c.LogIndexSizeMaxBytes),
                Documentation = "The size of the index that maps offsets to file positions.",
            },
            new()
            {
                Name = "segment.jitter.ms", Type = ConfigType.Long, KafkaDefault = "0", BrokerSynonym = "log.roll.jitter.ms",
                ExtraStaticSynonyms = ["log.roll.jitter.hours"], Min = 0,
                Documentation = "The maximum random jitter subtracted from segment.ms.",
            },
            new()
            {
                Name = "segment.ms", Type = ConfigType.Long, KafkaDefault = WeekMs, BrokerSynonym = "log.roll.ms",
                ExtraStaticSynonyms = ["log.roll.hours"], Min = 1, StaticValue = c => ConfigValues.Format(c.LogRollMs),
                Documentation = "The time after which the log rolls a new segment even if the current one is not full.",
            },
            new()
            {
                Name = "unclean.leader.election.enable", Type = ConfigType.Boolean, KafkaDefault = "false", BrokerSynonym = "unclean.leader.election.enable",
                StaticValue = c => ConfigValues.Format(c.UncleanLeaderElectionEnable),
                Documentation = "Whether replicas not in the ISR may be elected leader as a last resort (may lose data).",
            },
        ];
        return [.. list.OrderBy(d => d.Name, StringComparer.Ordinal)];
    }

    private static string FormatPolicy(Config.CleanupPolicy policy) => policy switch
    {
        Config.CleanupPolicy.Compact => "compact",
        Config.CleanupPolicy.Compact | Config.CleanupPolicy.Delete => "compact,delete",
        _ => "delete",
    };

    /// <summary><c>*</c>, or a list of <c>partition:brokerId</c> pairs.</summary>
    private static string? ValidateThrottledReplicas(string value)
    {
        var items = ConfigValues.SplitList(value);
        if (items.Count == 1 && items[0] == "*")
        {
            return null;
        }

        foreach (var item in items)
        {
            var parts = item.Split(':');
            if (parts.Length != 2 || !ConfigValues.TryParseInt(parts[0], out var p) || p < 0 || !ConfigValues.TryParseInt(parts[1], out var b) || b < 0)
            {
                return $"Invalid value {value}: throttled replicas must be '*' or a list of partitionId:brokerId pairs";
            }
        }

        return null;
    }

    private static string? ValidateMessageFormatVersion(string value)
    {
        var v = value.Trim();
        var dash = v.IndexOf('-', StringComparison.Ordinal);
        var numeric = dash < 0 ? v : v[..dash];
        var parts = numeric.Split('.');
        // Kafka accepts "3.0", "2.8-IV1", "0.10.0" and the four-part "0.10.0.0" of old releases.
        var ok = parts.Length is >= 2 and <= 4 && parts.All(p => p.Length > 0 && p.All(char.IsAsciiDigit))
            && (dash < 0 || (v.Length > dash + 3 && v.AsSpan(dash + 1, 2).SequenceEqual("IV") && v[(dash + 3)..].All(char.IsAsciiDigit)));
        return ok ? null : $"Invalid value {value} for configuration message.format.version: not a Kafka version";
    }
}
