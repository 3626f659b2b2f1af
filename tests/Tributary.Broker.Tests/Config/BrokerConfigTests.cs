using Tributary.Broker.Config;
using Xunit;
using static Tributary.Broker.Tests.Config.ConfigFixture;

namespace Tributary.Broker.Tests.Config;

public sealed class BrokerConfigTests
{
    [Fact]
    public void DefaultsMatchKafka()
    {
        var c = BrokerConfig.Parse(Combined(), NoEnv);
        Assert.Equal(1, c.NodeId);
        Assert.True(c.IsBroker && c.IsController);
        Assert.Equal(["/tmp/kafka-logs"], c.LogDirs);
        Assert.Equal(1, c.NumPartitions);
        Assert.Equal(1, c.DefaultReplicationFactor);
        Assert.Equal(1, c.MinInsyncReplicas);
        Assert.True(c.AutoCreateTopicsEnable);
        Assert.True(c.DeleteTopicEnable);
        Assert.Equal(168L * 3600 * 1000, c.LogRetentionMs);
        Assert.Equal(-1, c.LogRetentionBytes);
        Assert.Equal(1 << 30, c.LogSegmentBytes);
        Assert.Equal(168L * 3600 * 1000, c.LogRollMs);
        Assert.Equal(64L * 1024 * 1024, c.LogPageCacheRetainBytes); // Tributary's own; -1 is Kafka's behaviour
        Assert.Equal(-1, BrokerConfig.Parse(With(("tributary.log.page.cache.retain.bytes", "-1")), NoEnv).LogPageCacheRetainBytes);
        Assert.Equal(CleanupPolicy.Delete, c.LogCleanupPolicy);
        Assert.Equal(long.MaxValue, c.LogFlushIntervalMessages);
        Assert.Null(c.LogFlushIntervalMs);
        Assert.Equal(1048588, c.MessageMaxBytes);
        Assert.Equal(104857600, c.SocketRequestMaxBytes);
        Assert.Equal(600000, c.ConnectionsMaxIdleMs);
        Assert.Equal(50, c.OffsetsTopicNumPartitions);
        Assert.Equal(3, c.OffsetsTopicReplicationFactor);
        Assert.Equal(10080, c.OffsetsRetentionMinutes);
        Assert.Equal(3000, c.GroupInitialRebalanceDelayMs);
        Assert.Equal(6000, c.GroupMinSessionTimeoutMs);
        Assert.Equal(1800000, c.GroupMaxSessionTimeoutMs);
        Assert.Equal(604800000, c.TransactionalIdExpirationMs);
        Assert.Equal("PLAINTEXT", c.InterBrokerListenerName);
        Assert.Equal(SecurityProtocol.Plaintext, c.ListenerSecurityProtocols["CONTROLLER"]);
        Assert.Equal(new ListenerEndpoint("HTTP", "", 9404), c.MetricsListener);
        Assert.Null(c.Rack);
        Assert.Empty(c.UnknownKeys);
    }

    [Fact]
    public void ParsesListenersVotersAndTypedValues()
    {
        var c = BrokerConfig.Parse(With(
            ("listeners", "PLAINTEXT://0.0.0.0:9092, CONTROLLER://:9093 ,EXTERNAL://[::1]:0"),
            ("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,EXTERNAL:SASL_SSL"),
            ("advertised.listeners", "PLAINTEXT://b1.svc:9092,EXTERNAL://b1.example.com:19092"),
            ("controller.quorum.voters", "1@c1:9093,2@c2:9093,3@[::1]:9093"),
            ("log.dirs", "/data/a, /data/b"),
            ("log.cleanup.policy", "compact,delete"),
            ("broker.rack", "us-east-1a"),
            ("cluster.id", "MkU3OEVBNTcwNTJENDM2Qk"),
            ("tributary.metrics.listener", "http://127.0.0.1:0")), NoEnv);

        Assert.Equal(
            [new ListenerEndpoint("PLAINTEXT", "0.0.0.0", 9092), new ListenerEndpoint("CONTROLLER", "", 9093), new ListenerEndpoint("EXTERNAL", "::1", 0)],
            c.Listeners);
        Assert.True(c.Listeners[1].IsAllInterfaces);
        Assert.Equal("EXTERNAL://[::1]:0", c.Listeners[2].ToString());
        Assert.Equal(SecurityProtocol.SaslSsl, c.ListenerSecurityProtocols["EXTERNAL"]);
        Assert.Equal(2, c.AdvertisedListeners.Count);
        Assert.Equal(new QuorumVoter(3, "::1", 9093), c.QuorumVoters[2]);
        Assert.Equal(["/data/a", "/data/b"], c.LogDirs);
        Assert.Equal(CleanupPolicy.Delete | CleanupPolicy.Compact, c.LogCleanupPolicy);
        Assert.Equal("us-east-1a", c.Rack);
        Assert.Equal("MkU3OEVBNTcwNTJENDM2Qk", c.ClusterId);
        Assert.Equal(new ListenerEndpoint("HTTP", "127.0.0.1", 0), c.MetricsListener);
    }

    [Fact]
    public void AdvertisedDefaultsToListenersWithoutControllerListeners()
    {
        var props = Combined();
        props.Remove("advertised.listeners");
        var c = BrokerConfig.Parse(props, NoEnv);
        Assert.Equal([new ListenerEndpoint("PLAINTEXT", "", 9092)], c.AdvertisedListeners);
    }

    [Theory]
    [InlineData("log.retention.hours", "24", 24L * 3600 * 1000)]
    [InlineData("log.retention.minutes", "30", 30L * 60 * 1000)]
    [InlineData("log.retention.ms", "1234", 1234L)]
    [InlineData("log.retention.ms", "-1", -1L)]
    [InlineData("log.retention.hours", "-5", -1L)]
    public void RetentionUnits(string key, string value, long expected) =>
        Assert.Equal(expected, BrokerConfig.Parse(With((key, value)), NoEnv).LogRetentionMs);

    [Fact]
    public void RetentionPrecedenceMsOverMinutesOverHours()
    {
        Assert.Equal(5000, BrokerConfig.Parse(With(("log.retention.hours", "1"), ("log.retention.minutes", "2"), ("log.retention.ms", "5000")), NoEnv).LogRetentionMs);
        Assert.Equal(120000, BrokerConfig.Parse(With(("log.retention.hours", "1"), ("log.retention.minutes", "2")), NoEnv).LogRetentionMs);
    }

    [Fact]
    public void RollMsOverridesHoursAndLogDirsOverridesLogDir()
    {
        var c = BrokerConfig.Parse(With(("log.roll.hours", "2"), ("log.roll.ms", "777"), ("log.dir", "/one"), ("log.dirs", "/two")), NoEnv);
        Assert.Equal(777, c.LogRollMs);
        Assert.Equal(["/two"], c.LogDirs);
        Assert.Equal(["/one"], BrokerConfig.Parse(With(("log.dir", "/one")), NoEnv).LogDirs);
    }

    [Theory]
    [InlineData("num.partitions", "abc", "expected an integer")]
    [InlineData("num.partitions", "0", "at least 1")]
    [InlineData("log.segment.bytes", "-100", "at least 14")]
    [InlineData("log.retention.bytes", "-2", "at least -1")]
    [InlineData("tributary.log.page.cache.retain.bytes", "-2", "at least -1")]
    [InlineData("log.retention.ms", "0", "unlimited")]
    [InlineData("socket.request.max.bytes", "99999999999", "at most 2147483647")]
    [InlineData("auto.create.topics.enable", "yes", "true or false")]
    [InlineData("log.cleanup.policy", "archive", "unknown policy")]
    [InlineData("listeners", "PLAINTEXT//:9092", "NAME://host:port")]
    [InlineData("listeners", "PLAINTEXT://:port", "not a number")]
    [InlineData("listeners", "PLAINTEXT://:70000", "not a number")]
    [InlineData("listeners", "PLAINTEXT://::1:9092,CONTROLLER://:9093", "brackets")]
    [InlineData("listeners", "PLAINTEXT://:9092,PLAINTEXT://:9093", "more than once")]
    [InlineData("listeners", "PLAINTEXT://:9092,CONTROLLER://:9092", "more than one listener")]
    [InlineData("listeners", "PLAINTEXT://:9092", "must appear in listeners")]
    [InlineData("advertised.listeners", "PLAINTEXT://0.0.0.0:9092", "non-routable")]
    [InlineData("advertised.listeners", "OTHER://h:9092", "not in listeners")]
    [InlineData("process.roles", "broker,worker", "unknown role")]
    [InlineData("process.roles", "", "is required")]
    [InlineData("controller.quorum.voters", "2@c2:9093", "node.id 1")]
    [InlineData("controller.quorum.voters", "x@c2:9093", "id@host:port")]
    [InlineData("node.id", "-1", "at least 0")]
    [InlineData("group.min.session.timeout.ms", "9999999", "must not exceed")]
    [InlineData("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT", "no entry for listener 'CONTROLLER'")]
    [InlineData("listener.security.protocol.map", "PLAINTEXT:TLS,CONTROLLER:PLAINTEXT", "must be NAME:")]
    [InlineData("compression.type", "brotli", "expected one of")]
    [InlineData("cluster.id", "not/valid", "may contain only")]
    [InlineData("tributary.metrics.listener", "9404", "missing ':port'")]
    public void InvalidValuesNameKeyAndValue(string key, string value, string reason)
    {
        var e = Assert.Throws<ConfigException>(() => BrokerConfig.Parse(With((key, value)), NoEnv));
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
        Assert.Contains("'", e.Message, StringComparison.Ordinal);
        if (e.Key == key)
        {
            Assert.Equal(value, e.Value);
        }
    }

    [Fact]
    public void MissingNodeIdIsRefused()
    {
        var props = Combined();
        props.Remove("node.id");
        var e = Assert.Throws<ConfigException>(() => BrokerConfig.Parse(props, NoEnv));
        Assert.Equal("node.id", e.Key);
        Assert.Equal(1, BrokerConfig.Parse(With(("broker.id", "1")), NoEnv).NodeId);
        Assert.Throws<ConfigException>(() => BrokerConfig.Parse(With(("broker.id", "2")), NoEnv));
    }

    [Fact]
    public void BrokerOnlyNodeMustNotBindControllerListener()
    {
        var props = With(("process.roles", "broker"), ("controller.quorum.voters", "9@c:9093"));
        var e = Assert.Throws<ConfigException>(() => BrokerConfig.Parse(props, NoEnv));
        Assert.Contains("must not appear", e.Message, StringComparison.Ordinal);

        props["listeners"] = "PLAINTEXT://:9092";
        var c = BrokerConfig.Parse(props, NoEnv);
        Assert.Equal(ProcessRoles.Broker, c.ProcessRoles);
    }

    [Fact]
    public void QuorumRequiresVotersOrBootstrapServers()
    {
        var props = Combined();
        props.Remove("controller.quorum.voters");
        Assert.Throws<ConfigException>(() => BrokerConfig.Parse(props, NoEnv));
        props["controller.quorum.bootstrap.servers"] = "c1:9093,c2:9093";
        Assert.Equal(["c1:9093", "c2:9093"], BrokerConfig.Parse(props, NoEnv).QuorumBootstrapServers);
    }

    [Fact]
    public void EnvironmentOverridesFileAndOverridesWinOverEnvironment()
    {
        var env = new Dictionary<string, string>
        {
            ["KAFKA_NUM_PARTITIONS"] = "6",
            ["KAFKA_LOG_RETENTION_HOURS"] = "1",
            ["KAFKA_HEAP_OPTS"] = "-Xmx1G",
            ["KAFKA_MY__ODD___KEY"] = "x",
            ["TRIBUTARY_METRICS_LISTENER"] = "127.0.0.1:9999",
            ["TRIBUTARY_ARTIFACTS"] = "/tmp/ignored",
            ["PATH"] = "/usr/bin",
        };
        var c = BrokerConfig.Parse(With(("num.partitions", "3"), ("auto.create.topics.enable", "true")), env,
            new Dictionary<string, string> { ["auto.create.topics.enable"] = "false", ["num.partitions"] = "9" });

        Assert.Equal(9, c.NumPartitions);
        Assert.False(c.AutoCreateTopicsEnable);
        Assert.Equal(3600000, c.LogRetentionMs);
        Assert.Equal(9999, c.MetricsListener!.Port);
        Assert.Equal(["my_odd-key"], c.UnknownKeys);
        Assert.DoesNotContain("heap.opts", c.Values.Keys);
        Assert.Equal(6, BrokerConfig.Parse(Combined(), env).NumPartitions);
    }

    [Fact]
    public void UnknownKeysAreKeptAndReportedButStandardKeysAreNot()
    {
        var c = BrokerConfig.Parse(With(
            ("num.recovery.threads.per.data.dir", "1"),
            ("listener.name.external.ssl.keystore.location", "/k"),
            ("log.retention.check.interval.ms", "1000"),
            ("num.partiton", "3"),
            ("zzz.custom", "v")), NoEnv);
        Assert.Equal(["num.partiton", "zzz.custom"], c.UnknownKeys);
        Assert.Equal("v", c.Values["zzz.custom"]);
    }

    [Fact]
    public void MetricsListenerCanBeDisabled() =>
        Assert.Null(BrokerConfig.Parse(With(("tributary.metrics.listener", "none")), NoEnv).MetricsListener);

    [Fact]
    public void ValuesAreTrimmed() =>
        Assert.Equal(4, BrokerConfig.Parse(With(("num.partitions", "  4  ")), NoEnv).NumPartitions);

    [Fact]
    public void StockKafkaServerPropertiesParsesWithoutWarnings()
    {
        const string text = """
            process.roles=broker,controller
            node.id=1
            controller.quorum.bootstrap.servers=localhost:9093
            listeners=PLAINTEXT://:9092,CONTROLLER://:9093
            inter.broker.listener.name=PLAINTEXT
            advertised.listeners=PLAINTEXT://localhost:9092,CONTROLLER://localhost:9093
            controller.listener.names=CONTROLLER
            listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT,SASL_SSL:SASL_SSL
            num.network.threads=3
            num.io.threads=8
            socket.send.buffer.bytes=102400
            socket.receive.buffer.bytes=102400
            socket.request.max.bytes=104857600
            log.dirs=/tmp/kraft-combined-logs
            num.partitions=1
            num.recovery.threads.per.data.dir=1
            offsets.topic.replication.factor=1
            share.coordinator.state.topic.replication.factor=1
            share.coordinator.state.topic.min.isr=1
            transaction.state.log.replication.factor=1
            transaction.state.log.min.isr=1
            log.retention.hours=168
            log.segment.bytes=1073741824
            log.retention.check.interval.ms=300000
            """;
        var e = Assert.Throws<ConfigException>(() => BrokerConfig.Parse(PropertiesParser.Parse(text), NoEnv));
        Assert.Equal("advertised.listeners", e.Key);

        var c = BrokerConfig.Parse(PropertiesParser.Parse(text.Replace(",CONTROLLER://localhost:9093\n", "\n", StringComparison.Ordinal)), NoEnv);
        Assert.Empty(c.UnknownKeys);
        Assert.Equal(1, c.OffsetsTopicReplicationFactor);
    }
}
