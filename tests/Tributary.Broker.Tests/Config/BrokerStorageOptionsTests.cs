using Tributary.Broker.Config;
using Xunit;
using static Tributary.Broker.Tests.Config.ConfigFixture;

namespace Tributary.Broker.Tests.Config;

/// <summary>The broker's log.* scheduler keys reach the log manager (they were parsed and then ignored).</summary>
public sealed class BrokerStorageOptionsTests
{
    [Fact]
    public void KafkaDefaults()
    {
        var options = BrokerStorageOptions.From(BrokerConfig.Parse(Combined(), NoEnv));
        Assert.Equal(["/tmp/kafka-logs"], options.LogDirs);
        Assert.Equal(TimeSpan.FromMinutes(5), options.RetentionCheckInterval);
        Assert.True(options.CleanerEnabled);
        Assert.Equal(TimeSpan.FromSeconds(15), options.CleanerInterval);
        Assert.Equal(TimeSpan.FromMinutes(1), options.CheckpointInterval);
    }

    [Fact]
    public void SetKeysAreUsed()
    {
        var config = BrokerConfig.Parse(With(
            ("log.retention.check.interval.ms", "1000"),
            ("log.cleaner.enable", "false"),
            ("log.cleaner.backoff.ms", "250"),
            ("log.flush.offset.checkpoint.interval.ms", "5000")), NoEnv);
        var options = BrokerStorageOptions.From(config);
        Assert.Equal(TimeSpan.FromSeconds(1), options.RetentionCheckInterval);
        Assert.False(options.CleanerEnabled);
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.CleanerInterval);
        Assert.Equal(TimeSpan.FromSeconds(5), options.CheckpointInterval);
        Assert.Empty(config.UnknownKeys);
    }

    [Theory]
    [InlineData("log.cleaner.backoff.ms")]
    [InlineData("log.flush.offset.checkpoint.interval.ms")]
    public void NonPositiveIntervalsAreRefused(string key) =>
        Assert.Throws<ConfigException>(() => BrokerConfig.Parse(With((key, "0")), NoEnv));

    /// <summary>Kafka types it as an int, and so does DescribeConfigs here.</summary>
    [Fact]
    public void TheCheckpointIntervalIsAnInt() =>
        Assert.Throws<ConfigException>(() => BrokerConfig.Parse(With(("log.flush.offset.checkpoint.interval.ms", "3000000000")), NoEnv));
}
