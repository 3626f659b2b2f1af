using System.Collections.Immutable;
using Tributary.Broker.Config;
using Tributary.Broker.Metadata;
using Tributary.Broker.Metadata.Controller;
using Tributary.Broker.Topics;
using Tributary.Protocol;
using Tributary.Protocol.Messages;
using Tributary.Protocol.Metadata;
using Xunit;

namespace Tributary.Broker.Tests.Metadata;

/// <summary>Per-broker dynamic SSL/SASL configs: accepted for a node id, typed, stored and described as Kafka does.</summary>
public class ListenerSecurityConfigTests
{
    private static BrokerConfig Config(params (string Key, string Value)[] extra) =>
        BrokerConfig.Parse(MetadataStack.Props("/tmp/unused-log-dir", extra), new Dictionary<string, string>());

    private static readonly MetadataImage Image = MetadataImage.Empty("c");

    private static AlterConfigsRequest Alter(string broker, params (string Key, string? Value)[] configs) => new()
    {
        Resources = [new AlterConfigsRequest.AlterConfigsResource
        {
            ResourceType = (sbyte)ConfigResourceType.Broker,
            ResourceName = broker,
            Configs = [.. configs.Select(c => new AlterConfigsRequest.AlterableConfig { Name = c.Key, Value = c.Value })],
        }],
    };

    private static IncrementalAlterConfigsRequest Incremental(string broker, params (string Key, string? Value, ConfigOperation Op)[] configs) => new()
    {
        Resources = [new IncrementalAlterConfigsRequest.AlterConfigsResource
        {
            ResourceType = (sbyte)ConfigResourceType.Broker,
            ResourceName = broker,
            Configs = [.. configs.Select(c => new IncrementalAlterConfigsRequest.AlterableConfig { Name = c.Key, Value = c.Value, ConfigOperation = (sbyte)c.Op })],
        }],
    };

    private static ConfigRecord Record(IMetadataRecord record) => Assert.IsType<ConfigRecord>(record);

    [Fact]
    public void KerberosReloginTimeIsAPerBrokerDynamicConfig()
    {
        // What librdkafka's test 0081 sends with AlterConfigs to broker resource "1".
        var plan = ConfigChanges.PlanAlter(Image, Alter("1", ("sasl.kerberos.min.time.before.relogin", "58000")));
        var result = Assert.Single(plan.Result);
        Assert.Equal(ErrorCode.None, result.Error);
        var record = Record(Assert.Single(plan.Records));
        Assert.Equal(("1", "sasl.kerberos.min.time.before.relogin", "58000"), (record.ResourceName, record.Name, record.Value));
        Assert.Equal((sbyte)ConfigResourceType.Broker, record.ResourceType);
    }

    [Fact]
    public void IncrementalSetIsTypedAndNormalized()
    {
        var resolver = new TopicConfigResolver(Config());
        var plan = ConfigChanges.PlanIncremental(Image, Incremental("1",
            ("sasl.kerberos.ticket.renew.jitter", " 0.1 ", ConfigOperation.Set),
            ("sasl.enabled.mechanisms", "PLAIN, SCRAM-SHA-256", ConfigOperation.Set),
            ("ssl.client.auth", "required", ConfigOperation.Set)), resolver);
        Assert.Equal(ErrorCode.None, Assert.Single(plan.Result).Error);
        var values = plan.Records.Select(Record).ToDictionary(r => r.Name, r => r.Value);
        Assert.Equal("0.1", values["sasl.kerberos.ticket.renew.jitter"]);
        Assert.Equal("PLAIN,SCRAM-SHA-256", values["sasl.enabled.mechanisms"]);
        Assert.Equal("required", values["ssl.client.auth"]);
    }

    [Fact]
    public void AppendToAListStartsFromKafkasDefault()
    {
        var resolver = new TopicConfigResolver(Config());
        var plan = ConfigChanges.PlanIncremental(Image, Incremental("1", ("sasl.enabled.mechanisms", "PLAIN", ConfigOperation.Append)), resolver);
        Assert.Equal(ErrorCode.None, Assert.Single(plan.Result).Error);
        Assert.Equal("GSSAPI,PLAIN", Record(Assert.Single(plan.Records)).Value);

        var notList = ConfigChanges.PlanIncremental(Image, Incremental("1", ("sasl.kerberos.kinit.cmd", "x", ConfigOperation.Append)), resolver);
        Assert.Equal(ErrorCode.InvalidConfig, Assert.Single(notList.Result).Error);
    }

    [Theory]
    [InlineData("sasl.kerberos.min.time.before.relogin", "soon", "sasl.kerberos.min.time.before.relogin")]
    [InlineData("sasl.kerberos.ticket.renew.window.factor", "high", "sasl.kerberos.ticket.renew.window.factor")]
    [InlineData("sasl.login.refresh.window.factor", "0.2", "sasl.login.refresh.window.factor")]
    [InlineData("sasl.login.refresh.buffer.seconds", "4000", "between 0 and 3600")]
    [InlineData("ssl.client.auth", "maybe", "ssl.client.auth")]
    [InlineData("ssl.keystore.location", "/k.jks", "only per-listener using the listener prefix")]
    [InlineData("listeners", "PLAINTEXT://:1", "Cannot update these configs dynamically")]
    [InlineData("sasl.kerberos.unknown", "x", "Cannot update these configs dynamically")]
    public void InvalidValuesAndKeysAreRefused(string key, string value, string message)
    {
        var plan = ConfigChanges.PlanAlter(Image, Alter("1", (key, value)));
        var result = Assert.Single(plan.Result);
        Assert.Equal(ErrorCode.InvalidConfig, result.Error);
        Assert.Contains(message, result.Message, StringComparison.Ordinal);
        Assert.Empty(plan.Records);
    }

    [Fact]
    public void ClusterDefaultResourceRefusesPerBrokerConfigs()
    {
        var plan = ConfigChanges.PlanAlter(Image, Alter("", ("sasl.kerberos.min.time.before.relogin", "58000")));
        var result = Assert.Single(plan.Result);
        Assert.Equal(ErrorCode.InvalidConfig, result.Error);
        Assert.Contains("broker id must be specified", result.Message, StringComparison.Ordinal);

        // Topic-config defaults stay settable cluster-wide.
        Assert.Equal(ErrorCode.None, Assert.Single(ConfigChanges.PlanAlter(Image, Alter("", ("log.retention.ms", "1000"))).Result).Error);
    }

    [Theory]
    [InlineData("listener.name.external.ssl.keystore.location", "ssl.keystore.location")]
    [InlineData("listener.name.external.ssl.keystore.password", "ssl.keystore.password")]
    [InlineData("listener.name.sasl_ssl.plain.sasl.jaas.config", "sasl.jaas.config")]
    [InlineData("listener.name.internal.sasl.enabled.mechanisms", "sasl.enabled.mechanisms")]
    public void ListenerPrefixedKeysAreTypedAsTheirBaseKey(string key, string baseName)
    {
        Assert.Equal(baseName, ListenerSecurityConfigs.Find(key)?.Definition.Name);
        Assert.True(ListenerSecurityConfigs.IsListenerPrefixed(key));
        var plan = ConfigChanges.PlanAlter(Image, Alter("1", (key, "value")));
        Assert.Equal(ErrorCode.None, Assert.Single(plan.Result).Error);
    }

    [Theory]
    [InlineData("listener.name..ssl.keystore.location")]
    [InlineData("listener.name.external.")]
    [InlineData("listener.name.external.log.retention.ms")]
    [InlineData("listener.name.x.plain.sasl.kerberos.kinit.cmd")]
    public void MalformedOrForeignPrefixedKeysAreNotSecurityConfigs(string key) => Assert.Null(ListenerSecurityConfigs.Find(key));

    [Fact]
    public void DescribeReportsDynamicValuesAndHidesSecrets()
    {
        var config = Config(("sasl.kerberos.kinit.cmd", "/opt/kinit"));
        var image = Image with
        {
            PerBrokerConfigs = ImmutableSortedDictionary.Create<int, ImmutableSortedDictionary<string, string>>()
                .Add(config.NodeId, ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal)
                    .Add("sasl.kerberos.min.time.before.relogin", "58000")
                    .Add("sasl.jaas.config", "secret")
                    .Add("listener.name.external.ssl.cipher.suites", "TLS_AES_128_GCM_SHA256")),
        };
        var described = new BrokerConfigCatalog(config, new TopicConfigResolver(config)).DescribeBroker(image).ToDictionary(c => c.Name);

        var relogin = described["sasl.kerberos.min.time.before.relogin"];
        Assert.Equal(("58000", ConfigSource.DynamicBrokerConfig, ConfigType.Long, false, false),
            (relogin.Value, relogin.Source, relogin.Type, relogin.ReadOnly, relogin.IsSensitive));
        Assert.Equal([ConfigSource.DynamicBrokerConfig, ConfigSource.DefaultConfig], relogin.Synonyms.Select(s => s.Source));
        Assert.Equal("60000", relogin.Synonyms[^1].Value);

        var jaas = described["sasl.jaas.config"];
        Assert.Equal((null, ConfigSource.DynamicBrokerConfig, ConfigType.Password, true), (jaas.Value, jaas.Source, jaas.Type, jaas.IsSensitive));
        Assert.All(jaas.Synonyms, s => Assert.Null(s.Value));

        var kinit = described["sasl.kerberos.kinit.cmd"];
        Assert.Equal(("/opt/kinit", ConfigSource.StaticBrokerConfig, false), (kinit.Value, kinit.Source, kinit.ReadOnly));

        var jitter = described["sasl.kerberos.ticket.renew.jitter"];
        Assert.Equal(("0.05", ConfigSource.DefaultConfig, ConfigType.Double), (jitter.Value, jitter.Source, jitter.Type));
        Assert.Null(described["ssl.keystore.location"].Value);

        var prefixed = described["listener.name.external.ssl.cipher.suites"];
        Assert.Equal(("TLS_AES_128_GCM_SHA256", ConfigSource.DynamicBrokerConfig, ConfigType.List), (prefixed.Value, prefixed.Source, prefixed.Type));
        Assert.Equal(["listener.name.external.ssl.cipher.suites", "ssl.cipher.suites"], prefixed.Synonyms.Select(s => s.Name));
    }
}
