using Tributary.Server.KafkaCli;

namespace Tributary.Server.Tests.KafkaCli;

/// <summary>kafka-topics' option rules, as Kafka 3.9 enforces them, and what the valid command lines mean.</summary>
public sealed class TopicCommandOptionsTests
{
    private static TopicCommandOptions Parse(params string[] argv) =>
        TopicCommandOptions.Parse(CliArguments.Parse(argv, TopicCommandOptions.Options));

    private static string Refusal(params string[] argv) => Assert.Throws<CliUsageException>(() => Parse(argv)).Message;

    [Fact]
    public void LibrdkafkasCompactionCreateLineParses()
    {
        var options = Parse("--bootstrap-server", "127.0.0.1:9092", "--create", "--topic", "rdkafkatest_0077", "--partitions", "2", "--replication-factor", "1",
            "--config", "cleanup.policy=compact", "--config", "segment.ms=10000", "--config", "min.cleanable.dirty.ratio=0.01");

        Assert.Equal(TopicAction.Create, options.Action);
        Assert.Equal("127.0.0.1:9092", options.BootstrapServer);
        Assert.Equal("rdkafkatest_0077", options.Topic);
        Assert.Equal(2, options.Partitions);
        Assert.Equal((short)1, options.ReplicationFactor);
        Assert.Equal(new Dictionary<string, string?> { ["cleanup.policy"] = "compact", ["segment.ms"] = "10000", ["min.cleanable.dirty.ratio"] = "0.01" }, options.Configs);
        Assert.Empty(options.ReplicaAssignment);
    }

    [Fact]
    public void DefaultsLeavePartitionsAndReplicationToTheBroker()
    {
        var options = Parse("--bootstrap-server", "h:1", "--create", "--topic", "t", "--if-not-exists");
        Assert.Null(options.Partitions);
        Assert.Null(options.ReplicationFactor);
        Assert.True(options.IfNotExists);
    }

    [Fact]
    public void ReplicaAssignmentListsBrokersPerPartition()
    {
        var options = Parse("--bootstrap-server", "h:1", "--create", "--topic", "t", "--replica-assignment", "1:2, 2 : 3,3:1");
        Assert.Equal(3, options.ReplicaAssignment.Count);
        Assert.Equal([2, 3], options.ReplicaAssignment[1]);
        Assert.Equal([3, 1], options.ReplicaAssignment[2]);
    }

    [Theory]
    [InlineData("1:1,2:3", "duplicate entries: 1")]
    [InlineData("1:2,3", "Partition 1 has different replication factor")]
    [InlineData("1:x", "Invalid broker id 'x'")]
    [InlineData("1:2,,", "Partition 1 has no replicas")]
    public void BadReplicaAssignmentsAreRefused(string assignment, string reason) =>
        Assert.Contains(reason, Assert.Throws<CliUsageException>(() => TopicCommandOptions.ParseReplicaAssignment(assignment)).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("Command must include exactly one action", "--bootstrap-server", "h:1")]
    [InlineData("Command must include exactly one action", "--bootstrap-server", "h:1", "--list", "--describe")]
    [InlineData("Missing required argument \"[bootstrap-server]\"", "--list")]
    [InlineData("Missing required argument \"[topic]\"", "--bootstrap-server", "h:1", "--create")]
    [InlineData("Missing required argument \"[topic]\"", "--bootstrap-server", "h:1", "--delete")]
    [InlineData("Option \"[config]\" can't be used with option \"[alter]\"", "--bootstrap-server", "h:1", "--alter", "--topic", "t", "--config", "a=b")]
    [InlineData("Option \"[if-not-exists]\" can't be used with option \"[describe]\"", "--bootstrap-server", "h:1", "--describe", "--if-not-exists")]
    [InlineData("Option \"[if-exists]\" can't be used with option \"[create]\"", "--bootstrap-server", "h:1", "--create", "--topic", "t", "--if-exists")]
    [InlineData("Option \"[replication-factor]\" can't be used with option \"[alter]\"", "--bootstrap-server", "h:1", "--alter", "--topic", "t", "--replication-factor", "2")]
    [InlineData("Option \"[replica-assignment]\" can't be used with option \"[partitions]\"", "--bootstrap-server", "h:1", "--create", "--topic", "t", "--partitions", "2", "--replica-assignment", "1,2")]
    [InlineData("Option \"[under-replicated-partitions]\" can't be used with option \"[list]\"", "--bootstrap-server", "h:1", "--list", "--under-replicated-partitions")]
    [InlineData("Option \"[under-replicated-partitions]\" can't be used with option \"[unavailable-partitions]\"", "--bootstrap-server", "h:1", "--describe", "--under-replicated-partitions", "--unavailable-partitions")]
    [InlineData("The partitions must be greater than 0", "--bootstrap-server", "h:1", "--create", "--topic", "t", "--partitions", "0")]
    [InlineData("The replication factor must be between 1 and 32767", "--bootstrap-server", "h:1", "--create", "--topic", "t", "--replication-factor", "40000")]
    [InlineData("Invalid topic config", "--bootstrap-server", "h:1", "--create", "--topic", "t", "--config", "novalue")]
    [InlineData("is illegal, it contains a character other than", "--bootstrap-server", "h:1", "--create", "--topic", "a b")]
    [InlineData("--alter needs --partitions", "--bootstrap-server", "h:1", "--alter", "--topic", "t")]
    public void InvalidCombinationsAreRefusedWithKafkasWording(string reason, params string[] argv) =>
        Assert.Contains(reason, Refusal(argv), StringComparison.Ordinal);

    [Fact]
    public void DescribeReportsAndFiltersAreCarried()
    {
        var options = Parse("--bootstrap-server", "h:1", "--describe", "--topic", "a.*", "--exclude-internal", "--under-replicated-partitions");
        Assert.Equal(TopicAction.Describe, options.Action);
        Assert.Equal(TopicPartitionReport.UnderReplicated, options.Report);
        Assert.True(options.ExcludeInternal);
        Assert.Equal("a.*", options.Topic);
        Assert.Equal(TopicPartitionReport.All, Parse("--bootstrap-server", "h:1", "--describe").Report);
        Assert.True(Parse("--bootstrap-server", "h:1", "--describe", "--topics-with-overrides").TopicsWithOverrides);
    }

    [Fact]
    public void TopicNamesFollowKafkasRules()
    {
        TopicNames.Validate("a-valid.name_1");
        Assert.Throws<CliUsageException>(() => TopicNames.Validate(new string('x', 250)));
        Assert.Throws<CliUsageException>(() => TopicNames.Validate(".."));
        Assert.Throws<CliUsageException>(() => TopicNames.Validate(""));
        Assert.True(TopicNames.HasCollisionCharacters("a_b"));
        Assert.True(TopicNames.HasCollisionCharacters("a.b"));
        Assert.False(TopicNames.HasCollisionCharacters("a-b"));
    }
}
