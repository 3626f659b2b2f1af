using System.Collections.Immutable;
using Tributary.Broker.Config;
using Tributary.Broker.Metadata;
using Tributary.Broker.Topics;
using Tributary.Storage;
using CleanupPolicy = Tributary.Storage.CleanupPolicy;
using Xunit;

namespace Tributary.Broker.Tests.Metadata;

public class TopicConfigTests
{
    private static BrokerConfig Config(params (string Key, string Value)[] extra) =>
        BrokerConfig.Parse(MetadataStack.Props("/tmp/unused-log-dir", extra), new Dictionary<string, string>());

    private static MetadataImage ImageWithTopic(IReadOnlyDictionary<string, string> overrides) =>
        MetadataImage.Empty("c") with
        {
            Topics = ImmutableSortedDictionary.Create<string, TopicImage>(StringComparer.Ordinal)
                .Add("t", new TopicImage("t", Guid.NewGuid(), ImmutableSortedDictionary<int, PartitionImage>.Empty, overrides)),
        };

    [Theory]
    [InlineData("orders", true)]
    [InlineData("a.b_c-D9", true)]
    [InlineData("", false)]
    [InlineData(".", false)]
    [InlineData("..", false)]
    [InlineData("has space", false)]
    [InlineData("ünicode", false)]
    [InlineData("slash/name", false)]
    public void TopicNameRules(string name, bool valid) => Assert.Equal(valid, TopicNames.IsValid(name));

    [Fact]
    public void TopicNameLengthLimitIs249()
    {
        Assert.True(TopicNames.IsValid(new string('a', 249)));
        Assert.False(TopicNames.IsValid(new string('a', 250)));
        Assert.Equal(TopicNames.Unify("a_b"), TopicNames.Unify("a.b"));
    }

    [Theory]
    [InlineData("retention.ms", "-1", true)]
    [InlineData("retention.ms", "-2", false)]
    [InlineData("retention.ms", "1.5", false)]
    [InlineData("segment.bytes", "13", false)]
    [InlineData("segment.bytes", "99999999999", false)]
    [InlineData("cleanup.policy", "compact, delete", true)]
    [InlineData("cleanup.policy", "", false)]
    [InlineData("cleanup.policy", "archive", false)]
    [InlineData("compression.type", "zstd", true)]
    [InlineData("compression.type", "brotli", false)]
    [InlineData("min.cleanable.dirty.ratio", "0.9", true)]
    [InlineData("min.cleanable.dirty.ratio", "1.5", false)]
    [InlineData("unclean.leader.election.enable", "TRUE", true)]
    [InlineData("unclean.leader.election.enable", "yes", false)]
    [InlineData("message.timestamp.type", "LogAppendTime", true)]
    [InlineData("message.timestamp.type", "logappendtime", false)]
    [InlineData("leader.replication.throttled.replicas", "0:1,1:2", true)]
    [InlineData("leader.replication.throttled.replicas", "*", true)]
    [InlineData("leader.replication.throttled.replicas", "0-1", false)]
    [InlineData("remote.storage.enable", "true", false)]
    [InlineData("compression.gzip.level", "0", false)]
    [InlineData("message.format.version", "2.8-IV1", true)]
    [InlineData("message.format.version", "nonsense", false)]
    [InlineData("not.a.topic.config", "1", false)]
    public void ValuesAreValidatedPerDefinition(string key, string value, bool valid)
    {
        var error = TopicConfigDefinitions.Validate([new KeyValuePair<string, string?>(key, value)]);
        Assert.Equal(valid, error is null);
    }

    [Fact]
    public void EveryDefinitionsDefaultIsValid()
    {
        Assert.True(TopicConfigDefinitions.All.Count >= 35);
        foreach (var definition in TopicConfigDefinitions.All)
        {
            Assert.Null(definition.Validate(definition.KafkaDefault));
        }
    }

    [Fact]
    public void KafkaDefaultsMapOntoLogConfig()
    {
        var resolver = new TopicConfigResolver(Config());
        var log = resolver.Resolve(ImageWithTopic(ImmutableDictionary<string, string>.Empty), "t");
        Assert.Equal(LogConfig.Default with { }, log);
        Assert.Equal(1234567, new TopicConfigResolver(Config(("tributary.log.page.cache.retain.bytes", "1234567"))).Resolve(ImageWithTopic(ImmutableDictionary<string, string>.Empty), "t").PageCacheRetainBytes);
        Assert.Equal(1, resolver.MinInsyncReplicas(MetadataImage.Empty("c"), "t"));
        Assert.Equal("producer", resolver.CompressionType(MetadataImage.Empty("c"), "t"));
    }

    [Fact]
    public void PrecedenceIsTopicThenDynamicBrokerThenDynamicDefaultThenStaticThenDefault()
    {
        var resolver = new TopicConfigResolver(Config(("log.retention.hours", "1"), ("log.segment.bytes", "2000000"), ("log.cleanup.policy", "compact")));
        var image = ImageWithTopic(new Dictionary<string, string> { ["max.message.bytes"] = "500" });
        var log = resolver.Resolve(image, "t");
        Assert.Equal(3_600_000, log.RetentionMs);
        Assert.Equal(2_000_000, log.SegmentBytes);
        Assert.Equal(CleanupPolicy.Compact, log.CleanupPolicy);
        Assert.Equal(500, log.MaxMessageBytes);

        image = image with
        {
            BrokerConfigs = image.BrokerConfigs.Add("log.retention.ms", "42").Add("log.segment.bytes", "3000000"),
            PerBrokerConfigs = image.PerBrokerConfigs.Add(1, ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal).Add("log.segment.bytes", "4000000")),
        };
        log = resolver.Resolve(image, "t");
        Assert.Equal(42, log.RetentionMs);
        Assert.Equal(4_000_000, log.SegmentBytes);

        var retention = resolver.Describe(image, "t").Single(c => c.Name == "retention.ms");
        Assert.Equal(ConfigSource.DynamicDefaultBrokerConfig, retention.Source);
        Assert.Equal(
            [ConfigSource.DynamicDefaultBrokerConfig, ConfigSource.StaticBrokerConfig, ConfigSource.DefaultConfig],
            retention.Synonyms.Select(s => s.Source));
        Assert.Equal("log.retention.ms", retention.Synonyms[0].Name);

        var maxBytes = resolver.Describe(image, "t").Single(c => c.Name == "max.message.bytes");
        Assert.Equal(ConfigSource.TopicConfig, maxBytes.Source);
        Assert.Equal("500", maxBytes.Value);
    }

    [Fact]
    public void MetadataLogNeverExpires()
    {
        var log = new TopicConfigResolver(Config()).Resolve(MetadataImage.Empty("c"), TopicNames.ClusterMetadata);
        Assert.Equal(-1, log.RetentionMs);
        Assert.Equal(-1, log.RetentionBytes);
    }

    [Fact]
    public void DynamicBrokerConfigsAreLimitedToTopicDefaults()
    {
        Assert.Null(BrokerConfigCatalog.ValidateDynamic([new("log.retention.ms", "100"), new("message.max.bytes", "2000")], perBroker: true));
        Assert.NotNull(BrokerConfigCatalog.ValidateDynamic([new("log.dirs", "/x")], perBroker: true));
        Assert.Contains("log.segment.bytes", BrokerConfigCatalog.ValidateDynamic([new("log.segment.bytes", "1")], perBroker: true), StringComparison.Ordinal);
    }

    [Fact]
    public void BrokerDescriptionMarksSourcesAndHidesSecrets()
    {
        var config = Config(("num.partitions", "4"), ("ssl.keystore.password", "secret"));
        var catalog = new BrokerConfigCatalog(config, new TopicConfigResolver(config));
        var image = MetadataImage.Empty("c") with { BrokerConfigs = MetadataImage.Empty("c").BrokerConfigs.Add("log.retention.ms", "9") };
        var all = catalog.DescribeBroker(image).ToDictionary(c => c.Name);
        Assert.Equal(("4", ConfigSource.StaticBrokerConfig, true), (all["num.partitions"].Value, all["num.partitions"].Source, all["num.partitions"].ReadOnly));
        Assert.Equal(ConfigSource.DefaultConfig, all["delete.topic.enable"].Source);
        Assert.Equal(("9", ConfigSource.DynamicDefaultBrokerConfig, false), (all["log.retention.ms"].Value, all["log.retention.ms"].Source, all["log.retention.ms"].ReadOnly));
        Assert.True(all["ssl.keystore.password"].IsSensitive);
        Assert.Null(all["ssl.keystore.password"].Value);
        Assert.Equal(["log.retention.ms"], BrokerConfigCatalog.DescribeClusterDefaults(image).Select(c => c.Name));
    }
}
