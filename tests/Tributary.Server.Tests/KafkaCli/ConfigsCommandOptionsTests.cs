using Tributary.Client.Admin;
using Tributary.Server.KafkaCli;

namespace Tributary.Server.Tests.KafkaCli;

/// <summary>kafka-configs' entity options, add/delete parsing and its refusals.</summary>
public sealed class ConfigsCommandOptionsTests
{
    private static readonly Dictionary<string, IReadOnlyDictionary<string, string>> Files = new()
    {
        ["/cfg/extra.properties"] = new Dictionary<string, string> { ["segment.ms"] = "1000", ["retention.ms"] = "7" },
    };

    private static ConfigsCommandOptions Parse(params string[] argv) =>
        ConfigsCommandOptions.Parse(CliArguments.Parse(argv, ConfigsCommandOptions.Options), path => Files[path]);

    [Fact]
    public void AddConfigSplitsOnCommasOutsideBrackets()
    {
        var pairs = ConfigsCommandOptions.ParseAddConfig("k1=v1,k2=[a,b,c],k3=x=y, k4 = 4 ");
        Assert.Equal(
            [new("k1", "v1"), new("k2", "a,b,c"), new("k3", "x=y"), new KeyValuePair<string, string>("k4", "4")],
            pairs);
        Assert.Contains("key=val", Assert.Throws<CliUsageException>(() => ConfigsCommandOptions.ParseAddConfig("k1=v1,oops")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AlterTopicCollectsAddsFilesAndDeletes()
    {
        var options = Parse("--bootstrap-server", "h:1", "--entity-type", "topics", "--entity-name", "t", "--alter",
            "--add-config", "retention.ms=5,cleanup.policy=[compact,delete]", "--add-config-file", "/cfg/extra.properties", "--delete-config", "a,b", "--delete-config", "c");

        Assert.True(options.Alter);
        Assert.Equal(ConfigResourceType.Topic, options.ResourceType);
        Assert.Equal("t", options.EntityName);
        Assert.Equal(new Dictionary<string, string> { ["retention.ms"] = "7", ["cleanup.policy"] = "compact,delete", ["segment.ms"] = "1000" }, options.AddConfigs);
        Assert.Equal(["a", "b", "c"], options.DeleteConfigs);
    }

    [Fact]
    public void EntityShorthandsAndBrokerDefaults()
    {
        Assert.Equal(("t", ConfigEntityType.Topics), (Parse("--bootstrap-server", "h:1", "--topic", "t", "--describe").EntityName, Parse("--bootstrap-server", "h:1", "--topic", "t", "--describe").EntityType));
        Assert.Equal("", Parse("--bootstrap-server", "h:1", "--entity-type", "brokers", "--entity-default", "--describe").EntityName);
        Assert.Equal("", Parse("--bootstrap-server", "h:1", "--broker-defaults", "--describe").EntityName);
        var logger = Parse("--bootstrap-server", "h:1", "--broker-logger", "2", "--describe");
        Assert.Equal(ConfigResourceType.BrokerLogger, logger.ResourceType);
        Assert.Null(Parse("--bootstrap-server", "h:1", "--entity-type", "brokers", "--describe", "--all").EntityName);
        Assert.True(Parse("--bootstrap-server", "h:1", "--entity-type", "brokers", "--describe", "--all").All);
    }

    [Theory]
    [InlineData("Command must include exactly one action", "--bootstrap-server", "h:1", "--entity-type", "topics")]
    [InlineData("--bootstrap-server", "--entity-type", "topics", "--describe")]
    [InlineData("At least one entity type must be specified", "--bootstrap-server", "h:1", "--describe")]
    [InlineData("--entity-type users is not supported", "--bootstrap-server", "h:1", "--entity-type", "users", "--describe")]
    [InlineData("Invalid entity type nonsense", "--bootstrap-server", "h:1", "--entity-type", "nonsense", "--describe")]
    [InlineData("must be a valid integer broker id, but it is: b1", "--bootstrap-server", "h:1", "--entity-type", "brokers", "--entity-name", "b1", "--describe")]
    [InlineData("--entity-default must not be specified with --entity-type topics", "--bootstrap-server", "h:1", "--entity-type", "topics", "--entity-default", "--describe")]
    [InlineData("At least one of --add-config, --add-config-file, or --delete-config", "--bootstrap-server", "h:1", "--topic", "t", "--alter")]
    [InlineData("an entity name must be specified with --alter of topics", "--bootstrap-server", "h:1", "--entity-type", "topics", "--alter", "--add-config", "a=b")]
    [InlineData("Option \"[add-config]\" can't be used with option \"[describe]\"", "--bootstrap-server", "h:1", "--topic", "t", "--describe", "--add-config", "a=b")]
    [InlineData("Option \"[all]\" can't be used with option \"[alter]\"", "--bootstrap-server", "h:1", "--topic", "t", "--alter", "--all", "--add-config", "a=b")]
    [InlineData("are specified in both --add-config and --delete-config", "--bootstrap-server", "h:1", "--topic", "t", "--alter", "--add-config", "a=b", "--delete-config", "a")]
    public void InvalidCommandLinesAreRefused(string reason, params string[] argv) =>
        Assert.Contains(reason, Assert.Throws<CliUsageException>(() => Parse(argv)).Message, StringComparison.Ordinal);
}
