using Tributary.Client.Admin;
using Tributary.Server.KafkaCli;

namespace Tributary.Server.Tests.KafkaCli;

/// <summary>kafka-configs --describe's text: header, sorted dynamic entries (or all with --all), sensitivity and synonyms.</summary>
public sealed class ConfigDescribeFormatterTests
{
    private static readonly ConfigEntry[] Entries =
    [
        new("retention.ms", "5000", ConfigSource.DynamicTopicConfig, false, false, false)
        {
            Synonyms = [new("retention.ms", "5000", ConfigSource.DynamicTopicConfig), new("log.retention.ms", "604800000", ConfigSource.DefaultConfig)],
        },
        new("cleanup.policy", "compact", ConfigSource.DynamicTopicConfig, false, false, false),
        new("segment.bytes", "1073741824", ConfigSource.DefaultConfig, false, true, false),
        new("secret", "hidden", ConfigSource.DynamicTopicConfig, false, false, true),
    ];

    [Fact]
    public void DynamicTopicConfigsOnlyByDefault() => Assert.Equal(
        "Dynamic configs for topic orders are:\n"
        + "  cleanup.policy=compact sensitive=false synonyms={}\n"
        + "  retention.ms=5000 sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:retention.ms=5000, DEFAULT_CONFIG:log.retention.ms=604800000}\n"
        + "  secret=null sensitive=true synonyms={}\n",
        ConfigDescribeFormatter.Format(ConfigEntityType.Topics, "orders", Entries, all: false));

    [Fact]
    public void AllIncludesDefaults()
    {
        var text = ConfigDescribeFormatter.Format(ConfigEntityType.Topics, "orders", Entries, all: true);
        Assert.StartsWith("All configs for topic orders are:\n", text, StringComparison.Ordinal);
        Assert.Contains("  segment.bytes=1073741824 sensitive=false synonyms={}\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void BrokerHeadersAndSources()
    {
        ConfigEntry[] broker =
        [
            new("log.retention.ms", "1", ConfigSource.DynamicBrokerConfig, false, false, false),
            new("log.segment.bytes", "2", ConfigSource.DynamicDefaultBrokerConfig, false, false, false),
            new("num.io.threads", "8", ConfigSource.StaticBrokerConfig, true, false, false),
        ];
        Assert.Equal("Dynamic configs for broker 1 are:\n  log.retention.ms=1 sensitive=false synonyms={}\n",
            ConfigDescribeFormatter.Format(ConfigEntityType.Brokers, "1", broker, all: false));
        Assert.Equal("Default configs for brokers in the cluster are:\n  log.segment.bytes=2 sensitive=false synonyms={}\n",
            ConfigDescribeFormatter.Format(ConfigEntityType.Brokers, "", broker, all: false));
        Assert.Equal("Dynamic configs for broker-logger 2 are:\n", ConfigDescribeFormatter.Format(ConfigEntityType.BrokerLoggers, "2", broker, all: false));
    }
}
