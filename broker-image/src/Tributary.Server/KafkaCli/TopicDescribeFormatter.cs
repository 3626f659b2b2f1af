using System.Globalization;
using System.Text;
using Tributary.Client.Admin;
using Tributary.Client.Cluster;
using Tributary.Protocol.Primitives;

namespace Tributary.Server.KafkaCli;

/// <summary>
/// Kafka 3.9's <c>kafka-topics --describe</c> text: a topic line (id, partition count, replication
/// factor, non-default configs), then one tab-indented line per partition, filtered by the report options.
/// </summary>
public static class TopicDescribeFormatter
{
    public static string Format(IEnumerable<TopicDescription> topics, TopicPartitionReport report, bool topicsWithOverrides, IReadOnlySet<int>? liveBrokers)
    {
        ArgumentNullException.ThrowIfNull(topics);
        var sb = new StringBuilder();
        foreach (var topic in topics)
        {
            var overridden = topic.Configs.Where(c => !c.IsDefault).ToList();
            var hasOverrides = topic.Configs.Any(c => c.Source == ConfigSource.DynamicTopicConfig);
            if (report == TopicPartitionReport.All && (!topicsWithOverrides || hasOverrides))
            {
                AppendTopicLine(sb, topic, overridden);
            }

            if (topicsWithOverrides)
            {
                continue;
            }

            var minIsr = MinIsr(topic.Configs);
            foreach (var partition in topic.Topic.Partitions)
            {
                if (Selected(partition, report, minIsr, liveBrokers))
                {
                    AppendPartitionLine(sb, topic.Topic.Name, partition, topic.Reassignments.GetValueOrDefault(partition.Partition));
                }
            }
        }

        return sb.ToString();
    }

    private static void AppendTopicLine(StringBuilder sb, TopicDescription topic, IReadOnlyList<ConfigEntry> overridden)
    {
        var first = topic.Topic.Partitions.FirstOrDefault();
        var adding = first is null ? 0 : topic.Reassignments.GetValueOrDefault(first.Partition)?.AddingReplicas.Count ?? 0;
        var replicationFactor = first is null ? 0 : first.Replicas.Count - adding;
        sb.Append("Topic: ").Append(topic.Topic.Name);
        if (topic.Topic.TopicId != Guid.Empty)
        {
            sb.Append("\tTopicId: ").Append(KafkaUuid.Format(topic.Topic.TopicId));
        }

        sb.Append(CultureInfo.InvariantCulture, $"\tPartitionCount: {topic.Topic.Partitions.Count}\tReplicationFactor: {replicationFactor}\tConfigs: ");
        sb.AppendJoin(',', overridden.Select(c => $"{c.Name}={c.Value ?? "null"}"));
        sb.Append('\n');
    }

    private static void AppendPartitionLine(StringBuilder sb, string topic, PartitionMetadata partition, PartitionReassignment? reassignment)
    {
        sb.Append("\tTopic: ").Append(topic)
            .Append(CultureInfo.InvariantCulture, $"\tPartition: {partition.Partition}")
            .Append("\tLeader: ").Append(partition.Leader >= 0 ? partition.Leader.ToString(CultureInfo.InvariantCulture) : "none")
            .Append("\tReplicas: ").AppendJoin(',', partition.Replicas)
            .Append("\tIsr: ").AppendJoin(',', partition.Isr);
        if (reassignment is not null)
        {
            sb.Append("\tAdding Replicas: ").AppendJoin(',', reassignment.AddingReplicas)
                .Append("\tRemoving Replicas: ").AppendJoin(',', reassignment.RemovingReplicas);
        }

        // Eligible leader replicas (KIP-966) are not reported by the Metadata API: empty, as Kafka prints them when ELR is off.
        sb.Append("\tElr: \tLastKnownElr: \n");
    }

    private static bool Selected(PartitionMetadata partition, TopicPartitionReport report, int? minIsr, IReadOnlySet<int>? liveBrokers) => report switch
    {
        TopicPartitionReport.UnderReplicated => partition.Isr.Count < partition.Replicas.Count,
        TopicPartitionReport.Unavailable => partition.Leader < 0 || (liveBrokers is not null && !liveBrokers.Contains(partition.Leader)),
        TopicPartitionReport.UnderMinIsr => minIsr is { } under && partition.Isr.Count < under,
        TopicPartitionReport.AtMinIsr => minIsr is { } at && partition.Isr.Count == at,
        _ => true,
    };

    private static int? MinIsr(IReadOnlyList<ConfigEntry> configs) =>
        configs.FirstOrDefault(c => c.Name == "min.insync.replicas")?.Value is { } text
        && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;
}
