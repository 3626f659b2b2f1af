using Tributary.Client.Admin;
using Tributary.Client.Cluster;
using Tributary.Protocol.Primitives;
using Tributary.Protocol;
using Tributary.Server.KafkaCli;

namespace Tributary.Server.Tests.KafkaCli;

/// <summary>kafka-topics --describe's text, line for line, and its partition filters.</summary>
public sealed class TopicDescribeFormatterTests
{
    private static readonly Guid Id = new(Enumerable.Range(0, 16).Select(i => (byte)i).ToArray(), bigEndian: true);

    private static PartitionMetadata Partition(int index, int leader, int[] replicas, int[] isr) =>
        new(index, leader, 0, replicas, isr, [], ErrorCode.None);

    private static TopicDescription Orders(params ConfigEntry[] configs) => new(
        new TopicMetadata("orders", Id, false, ErrorCode.None,
        [
            Partition(0, 1, [1, 2, 3], [1, 2, 3]),
            Partition(1, 2, [2, 3, 1], [2, 3]),
            Partition(2, -1, [3, 1, 2], [3]),
        ]),
        configs,
        new Dictionary<int, PartitionReassignment>());

    private static readonly ConfigEntry[] Configs =
    [
        new("cleanup.policy", "compact", ConfigSource.DynamicTopicConfig, false, false, false),
        new("min.insync.replicas", "2", ConfigSource.StaticBrokerConfig, false, false, false),
        new("retention.ms", "604800000", ConfigSource.DefaultConfig, false, true, false),
    ];

    [Fact]
    public void KafkaUuidsPrintAsUrlSafeBase64WithoutPadding() =>
        Assert.Equal("AAECAwQFBgcICQoLDA0ODw", KafkaUuid.Format(Id));

    [Fact]
    public void TopicLineThenOneLinePerPartition()
    {
        var text = TopicDescribeFormatter.Format([Orders(Configs)], TopicPartitionReport.All, false, null);

        Assert.Equal(
            "Topic: orders\tTopicId: AAECAwQFBgcICQoLDA0ODw\tPartitionCount: 3\tReplicationFactor: 3\tConfigs: cleanup.policy=compact,min.insync.replicas=2\n"
            + "\tTopic: orders\tPartition: 0\tLeader: 1\tReplicas: 1,2,3\tIsr: 1,2,3\tElr: \tLastKnownElr: \n"
            + "\tTopic: orders\tPartition: 1\tLeader: 2\tReplicas: 2,3,1\tIsr: 2,3\tElr: \tLastKnownElr: \n"
            + "\tTopic: orders\tPartition: 2\tLeader: none\tReplicas: 3,1,2\tIsr: 3\tElr: \tLastKnownElr: \n",
            text);
    }

    [Theory]
    [InlineData(TopicPartitionReport.UnderReplicated, new[] { 1, 2 })]
    [InlineData(TopicPartitionReport.Unavailable, new[] { 2 })]
    [InlineData(TopicPartitionReport.UnderMinIsr, new[] { 2 })]
    [InlineData(TopicPartitionReport.AtMinIsr, new[] { 1 })]
    public void ReportsShowOnlyTheirPartitionsAndNoTopicLine(TopicPartitionReport report, int[] partitions)
    {
        var lines = TopicDescribeFormatter.Format([Orders(Configs)], report, false, new HashSet<int> { 1, 2, 3 })
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(partitions.Select(p => $"\tTopic: orders\tPartition: {p}\t"), lines.Select(l => l[..l.IndexOf("Leader", StringComparison.Ordinal)]));
    }

    [Fact]
    public void ALeaderOnADeadBrokerIsUnavailable()
    {
        var lines = TopicDescribeFormatter.Format([Orders(Configs)], TopicPartitionReport.Unavailable, false, new HashSet<int> { 1, 3 })
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
    }

    [Fact]
    public void TopicsWithOverridesShowsOnlyTopicLinesOfOverriddenTopics()
    {
        var plain = Orders() with { Topic = Orders().Topic with { Name = "plain", TopicId = Guid.Empty } };
        var text = TopicDescribeFormatter.Format([Orders(Configs), plain], TopicPartitionReport.All, true, null);
        Assert.StartsWith("Topic: orders\t", text, StringComparison.Ordinal);
        Assert.Single(text.Split('\n', StringSplitOptions.RemoveEmptyEntries));

        var all = TopicDescribeFormatter.Format([plain], TopicPartitionReport.All, false, null);
        Assert.StartsWith("Topic: plain\tPartitionCount: 3\tReplicationFactor: 3\tConfigs: \n", all, StringComparison.Ordinal);
    }

    [Fact]
    public void ReassignmentsShowAddingAndRemovingReplicas()
    {
        var topic = Orders(Configs) with
        {
            Reassignments = new Dictionary<int, PartitionReassignment> { [0] = new([1, 2, 3, 4], [4], [1]) },
            Topic = Orders().Topic with { Partitions = [Partition(0, 1, [1, 2, 3, 4], [1, 2, 3])] },
        };
        var text = TopicDescribeFormatter.Format([topic], TopicPartitionReport.All, false, null);
        Assert.Contains("ReplicationFactor: 3\t", text, StringComparison.Ordinal);
        Assert.Contains("\tIsr: 1,2,3\tAdding Replicas: 4\tRemoving Replicas: 1\tElr: ", text, StringComparison.Ordinal);
    }
}
