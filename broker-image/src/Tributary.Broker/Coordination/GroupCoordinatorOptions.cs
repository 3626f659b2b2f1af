using System.Globalization;
using Tributary.Broker.Config;
using Tributary.Broker.Groups;

namespace Tributary.Broker.Coordination;

/// <summary>How <see cref="GroupCoordinatorService"/> runs: this node's id, the pure coordinator's settings, and runtime limits.</summary>
public sealed record GroupCoordinatorOptions
{
    /// <summary>node.id: the coordinator serves the <c>__consumer_offsets</c> partitions whose leader is this node.</summary>
    public required int NodeId { get; init; }

    /// <summary>Settings of the classic-group state machine (timeouts, retention, partition count, metadata limit).</summary>
    public GroupCoordinatorConfig Coordinator { get; init; } = new();

    /// <summary>offsets.commit.timeout.ms: how long an append to <c>__consumer_offsets</c> may take before the request fails.</summary>
    public int CommitTimeoutMs { get; init; } = 5_000;

    /// <summary>Pause before retrying a partition load that failed (e.g. the log was not ready yet).</summary>
    public int LoadRetryBackoffMs { get; init; } = 1_000;

    /// <summary>Reads the group settings from the broker configuration, with Kafka's keys and defaults.</summary>
    public static GroupCoordinatorOptions FromBrokerConfig(BrokerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new GroupCoordinatorOptions
        {
            NodeId = config.NodeId,
            CommitTimeoutMs = ReadInt(config, "offsets.commit.timeout.ms", 5_000),
            Coordinator = new GroupCoordinatorConfig
            {
                MinSessionTimeoutMs = config.GroupMinSessionTimeoutMs,
                MaxSessionTimeoutMs = config.GroupMaxSessionTimeoutMs,
                InitialRebalanceDelayMs = config.GroupInitialRebalanceDelayMs,
                GroupMaxSize = config.GroupMaxSize,
                OffsetsTopicPartitions = config.OffsetsTopicNumPartitions,
                OffsetsRetentionMs = config.OffsetsRetentionMinutes * 60_000L,
                OffsetsRetentionCheckIntervalMs = ReadInt(config, "offsets.retention.check.interval.ms", 600_000),
                OffsetMetadataMaxBytes = ReadInt(config, "offset.metadata.max.bytes", 4096),
            },
        };
    }

    // These keys have no typed property in BrokerConfig; a value that does not parse as a positive
    // integer falls back to Kafka's default rather than failing start-up.
    private static int ReadInt(BrokerConfig config, string key, int fallback) =>
        config.Values.TryGetValue(key, out var text)
        && int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
        && value > 0
            ? value
            : fallback;
}
