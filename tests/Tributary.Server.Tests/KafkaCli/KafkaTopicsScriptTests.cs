using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Tributary.Server.Tests.Support;
using Tributary.TestSupport;

namespace Tributary.Server.Tests.KafkaCli;

/// <summary>kafka-topics.sh and kafka-configs.sh (our wrappers) against a real broker, checked with Confluent.Kafka's admin client.</summary>
public sealed class KafkaTopicsScriptTests : IClassFixture<BrokerFixture>
{
    private readonly BrokerFixture _fixture;

    public KafkaTopicsScriptTests(BrokerFixture fixture) => _fixture = fixture;

    private string Bootstrap => _fixture.Broker.BootstrapServers;

    private IAdminClient Admin() => new AdminClientBuilder(RealClients.AdminConfig(Bootstrap)).Build();

    private async Task<ProcessResult> TopicsAsync(params string[] args)
    {
        var result = await KafkaScripts.RunAsync("kafka-topics.sh", ["--bootstrap-server", Bootstrap, .. args]);
        Assert.False(result.TimedOut, result.ToString());
        return result;
    }

    private async Task<ProcessResult> ConfigsAsync(params string[] args)
    {
        var result = await KafkaScripts.RunAsync("kafka-configs.sh", ["--bootstrap-server", Bootstrap, .. args]);
        Assert.False(result.TimedOut, result.ToString());
        return result;
    }

    private async Task<Dictionary<string, ConfigEntryResult>> TopicConfigsAsync(string topic)
    {
        using var admin = Admin();
        var described = await admin.DescribeConfigsAsync([new ConfigResource { Type = Confluent.Kafka.Admin.ResourceType.Topic, Name = topic }]);
        return described.Single().Entries.ToDictionary(e => e.Key, e => e.Value);
    }

    private int PartitionCount(string topic)
    {
        using var admin = Admin();
        var metadata = admin.GetMetadata(topic, TimeSpan.FromSeconds(10));
        var found = metadata.Topics.Single(t => t.Topic == topic);
        return found.Error.Code == Confluent.Kafka.ErrorCode.NoError ? found.Partitions.Count : -1;
    }

    private bool Exists(string topic)
    {
        using var admin = Admin();
        return admin.GetMetadata(TimeSpan.FromSeconds(10)).Topics.Any(t => t.Topic == topic);
    }

    [Fact]
    public async Task CreateWithConfigsThenDescribeAlterAndDelete()
    {
        var topic = Topics.UniqueName("cli-orders");
        var created = await TopicsAsync("--create", "--topic", topic, "--partitions", "3", "--replication-factor", "1",
            "--config", "cleanup.policy=compact", "--config", "retention.ms=123456");
        Assert.True(created.Succeeded, created.ToString());
        Assert.Equal($"Created topic {topic}.\n", created.StandardOutput);
        Assert.Equal(3, PartitionCount(topic));
        var configs = await TopicConfigsAsync(topic);
        Assert.Equal("compact", configs["cleanup.policy"].Value);
        Assert.Equal("123456", configs["retention.ms"].Value);

        var described = await TopicsAsync("--describe", "--topic", topic);
        Assert.True(described.Succeeded, described.ToString());
        var lines = described.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        Assert.Matches($"^Topic: {topic}\tTopicId: [A-Za-z0-9_-]{{22}}\tPartitionCount: 3\tReplicationFactor: 1\tConfigs: .*cleanup.policy=compact", lines[0]);
        Assert.Contains("retention.ms=123456", lines[0], StringComparison.Ordinal);
        Assert.Equal($"\tTopic: {topic}\tPartition: 2\tLeader: 1\tReplicas: 1\tIsr: 1\tElr: \tLastKnownElr: ", lines[3]);

        var altered = await TopicsAsync("--alter", "--topic", topic, "--partitions", "5");
        Assert.True(altered.Succeeded, altered.ToString());
        Assert.Equal(5, PartitionCount(topic));

        var shrink = await TopicsAsync("--alter", "--topic", topic, "--partitions", "2");
        Assert.Equal(1, shrink.ExitCode);
        Assert.StartsWith("Error while executing topic command : ", shrink.StandardError, StringComparison.Ordinal);
        Assert.Equal(5, PartitionCount(topic));

        var deleted = await TopicsAsync("--delete", "--topic", topic);
        Assert.True(deleted.Succeeded, deleted.ToString());
        Assert.False(Exists(topic));
    }

    [Fact]
    public async Task IfNotExistsAndIfExistsMakeRepeatsHarmless()
    {
        var topic = Topics.UniqueName("cli-repeat");
        Assert.True((await TopicsAsync("--create", "--topic", topic, "--partitions", "1")).Succeeded);

        var again = await TopicsAsync("--create", "--topic", topic, "--partitions", "1");
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("Error while executing topic command : ", again.StandardError, StringComparison.Ordinal);
        Assert.Contains(topic, again.StandardError, StringComparison.Ordinal);

        var quiet = await TopicsAsync("--create", "--topic", topic, "--partitions", "1", "--if-not-exists");
        Assert.True(quiet.Succeeded, quiet.ToString());
        Assert.Equal("", quiet.StandardOutput);

        var missing = Topics.UniqueName("cli-missing");
        var delete = await TopicsAsync("--delete", "--topic", missing);
        Assert.Equal(1, delete.ExitCode);
        Assert.Equal($"Error while executing topic command : Topic '{missing}' does not exist as expected\n", delete.StandardError);
        Assert.True((await TopicsAsync("--delete", "--topic", missing, "--if-exists")).Succeeded);
    }

    [Fact]
    public async Task ListAndDeleteTakeRegularExpressions()
    {
        var prefix = "cli-rx-" + Guid.NewGuid().ToString("N")[..8];
        foreach (var suffix in new[] { "a", "b", "c" })
        {
            await Topics.CreateAsync(Bootstrap, $"{prefix}-{suffix}", 1);
        }

        var listed = await TopicsAsync("--list", "--topic", $"{prefix}-[ab]");
        Assert.True(listed.Succeeded, listed.ToString());
        Assert.Equal($"{prefix}-a\n{prefix}-b\n", listed.StandardOutput);

        var all = await TopicsAsync("--list", "--exclude-internal");
        Assert.Contains($"{prefix}-c\n", all.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("__consumer_offsets", all.StandardOutput, StringComparison.Ordinal);

        var deleted = await TopicsAsync("--delete", "--topic", $"{prefix}-.*");
        Assert.True(deleted.Succeeded, deleted.ToString());
        Assert.False(Exists($"{prefix}-a"));
        Assert.False(Exists($"{prefix}-c"));
    }

    [Fact]
    public async Task ConfigsAlterDescribeAndDelete()
    {
        var topic = Topics.UniqueName("cli-configs");
        await Topics.CreateAsync(Bootstrap, topic, 1);

        var altered = await ConfigsAsync("--entity-type", "topics", "--entity-name", topic, "--alter",
            "--add-config", "retention.ms=5000,cleanup.policy=[compact,delete]");
        Assert.True(altered.Succeeded, altered.ToString());
        Assert.Equal($"Completed updating config for topic {topic}.\n", altered.StandardOutput);
        var configs = await TopicConfigsAsync(topic);
        Assert.Equal("5000", configs["retention.ms"].Value);
        Assert.Equal("compact,delete", configs["cleanup.policy"].Value);

        var described = await ConfigsAsync("--entity-type", "topics", "--entity-name", topic, "--describe");
        Assert.True(described.Succeeded, described.ToString());
        var lines = described.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"Dynamic configs for topic {topic} are:", lines[0]);
        Assert.StartsWith("  cleanup.policy=compact,delete sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:cleanup.policy=compact,delete", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("  retention.ms=5000 sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:retention.ms=5000", lines[2], StringComparison.Ordinal);
        Assert.Equal(3, lines.Length);

        var removed = await ConfigsAsync("--topic", topic, "--alter", "--delete-config", "retention.ms");
        Assert.True(removed.Succeeded, removed.ToString());
        configs = await TopicConfigsAsync(topic);
        Assert.NotEqual("5000", configs["retention.ms"].Value);
        Assert.True(configs["retention.ms"].IsDefault);

        var again = await ConfigsAsync("--topic", topic, "--alter", "--delete-config", "retention.ms");
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("Invalid config(s): retention.ms", again.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BrokerDefaultsCanBeSetAndDescribed()
    {
        var set = await ConfigsAsync("--entity-type", "brokers", "--entity-default", "--alter", "--add-config", "log.retention.ms=604800001");
        Assert.True(set.Succeeded, set.ToString());
        Assert.Equal("Completed updating default config for brokers in the cluster.\n", set.StandardOutput);
        try
        {
            var described = await ConfigsAsync("--entity-type", "brokers", "--entity-default", "--describe");
            Assert.True(described.Succeeded, described.ToString());
            Assert.Contains("Default configs for brokers in the cluster are:\n  log.retention.ms=604800001 sensitive=false", described.StandardOutput, StringComparison.Ordinal);
        }
        finally
        {
            Assert.True((await ConfigsAsync("--entity-type", "brokers", "--entity-default", "--alter", "--delete-config", "log.retention.ms")).Succeeded);
        }
    }

    [Theory]
    [InlineData("kafka-topics.sh", "Command must include exactly one action", "--topic", "x")]
    [InlineData("kafka-topics.sh", "bogus is not a recognized option", "--list", "--bogus")]
    [InlineData("kafka-topics.sh", "Missing required argument \"[topic]\"", "--create")]
    [InlineData("kafka-configs.sh", "At least one entity type must be specified", "--describe")]
    [InlineData("kafka-acls.sh", "You must specify one of: --allow-principal, --deny-principal", "--add", "--topic", "t")]
    public async Task UsageErrorsExitOneWithTheReasonAndHelp(string script, string reason, params string[] args)
    {
        var result = await KafkaScripts.RunAsync(script, ["--bootstrap-server", Bootstrap, .. args]);
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith(reason, result.StandardError, StringComparison.Ordinal);
        Assert.Contains("Option                                    Description", result.StandardError, StringComparison.Ordinal);
        Assert.Equal("", result.StandardOutput);
    }

    [Fact]
    public async Task SecuritySettingsInCommandConfigAreRefused()
    {
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, "security.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\n");
            var result = await TopicsAsync("--list", "--command-config", file);
            Assert.Equal(1, result.ExitCode);
            Assert.StartsWith("security.protocol=SASL_SSL is not supported by this tool", result.StandardError, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task AclRemovalWithoutATerminalOrForceIsRefused()
    {
        var result = await KafkaScripts.RunWithInputAsync("kafka-acls.sh", "y\n", "--bootstrap-server", Bootstrap, "--remove", "--topic", "t");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("Error while executing ACL command: --remove asks for confirmation, but standard input is not a terminal: add --force to remove without asking\n",
            result.StandardError);
    }
}
