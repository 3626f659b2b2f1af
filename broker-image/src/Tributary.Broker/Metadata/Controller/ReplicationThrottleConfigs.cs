using System.Globalization;
using Tributary.Broker.Topics;

namespace Tributary.Broker.Metadata.Controller;

/// <summary>
/// The dynamic broker configs of the reassignment throttle (KIP-73) that have no topic-level
/// counterpart: <c>leader.replication.throttled.rate</c> and <c>follower.replication.throttled.rate</c>
/// (bytes/s, default Long.MaxValue = unthrottled). <c>kafka-reassign-partitions --throttle</c> sets them
/// per broker with IncrementalAlterConfigs, next to the topic configs naming the throttled replicas.
/// </summary>
public static class ReplicationThrottleConfigs
{
    public const string LeaderRate = "leader.replication.throttled.rate";
    public const string FollowerRate = "follower.replication.throttled.rate";

    private static readonly TopicConfigDefinition[] Definitions =
    [
        Rate(LeaderRate, "Replication traffic (bytes/s) a leader sends for throttled replicas."),
        Rate(FollowerRate, "Replication traffic (bytes/s) a follower fetches for throttled replicas."),
    ];

    /// <summary>The definition of a throttle rate key, or null for any other key.</summary>
    public static TopicConfigDefinition? Find(string key) =>
        Array.Find(Definitions, d => string.Equals(d.Name, key, StringComparison.Ordinal));

    private static TopicConfigDefinition Rate(string name, string documentation) => new()
    {
        Name = name,
        Type = ConfigType.Long,
        KafkaDefault = long.MaxValue.ToString(CultureInfo.InvariantCulture),
        Min = 0,
        Documentation = documentation,
    };
}
