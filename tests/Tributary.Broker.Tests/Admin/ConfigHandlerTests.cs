using Tributary.Broker.Topics;
using Tributary.Protocol;
using Tributary.Protocol.Messages;
using Xunit;

namespace Tributary.Broker.Tests.Admin;

/// <summary>DescribeConfigs, AlterConfigs and IncrementalAlterConfigs over the wire.</summary>
public class ConfigHandlerTests
{
    private static DescribeConfigsRequest Describe(ConfigResourceType type, string name, bool synonyms = false, bool docs = false, List<string>? keys = null) => new()
    {
        IncludeSynonyms = synonyms,
        IncludeDocumentation = docs,
        Resources = [new DescribeConfigsRequest.DescribeConfigsResource { ResourceType = (sbyte)type, ResourceName = name, ConfigurationKeys = keys }],
    };

    [Fact]
    public async Task DescribeTopicConfigsV0ReportsIsDefault()
    {
        await using var broker = await AdminBroker.StartAsync();
        await broker.Send<CreateTopicsResponse>(new CreateTopicsRequest
        {
            Topics = [new CreateTopicsRequest.CreatableTopic { Name = "t", NumPartitions = 1, ReplicationFactor = 1, Configs = [new() { Name = "retention.ms", Value = "99" }] }],
        }, 0);
        var result = (await broker.Send<DescribeConfigsResponse>(Describe(ConfigResourceType.Topic, "t"), 0)).Results.Single();
        Assert.Equal(0, result.ErrorCode);
        Assert.Equal(TopicConfigDefinitions.All.Count, result.Configs.Count);
        var retention = result.Configs.Single(c => c.Name == "retention.ms");
        Assert.Equal(("99", false), (retention.Value, retention.IsDefault));
        Assert.True(result.Configs.Single(c => c.Name == "segment.bytes").IsDefault);
    }

    [Fact]
    public async Task DescribeTopicConfigsV4WithSynonymsTypesAndDocs()
    {
        await using var broker = await AdminBroker.StartAsync(null, ("log.retention.hours", "2"));
        await broker.CreateTopic("t");
        var result = (await broker.Send<DescribeConfigsResponse>(Describe(ConfigResourceType.Topic, "t", synonyms: true, docs: true, keys: ["retention.ms", "cleanup.policy"]), 4)).Results.Single();
        Assert.Equal(["cleanup.policy", "retention.ms"], result.Configs.Select(c => c.Name));
        var retention = result.Configs[1];
        Assert.Equal(("7200000", (sbyte)ConfigSource.StaticBrokerConfig, (sbyte)ConfigType.Long), (retention.Value, retention.ConfigSource, retention.ConfigType));
        Assert.Equal(["log.retention.ms", "log.retention.ms"], retention.Synonyms.Select(s => s.Name));
        Assert.Equal([(sbyte)ConfigSource.StaticBrokerConfig, (sbyte)ConfigSource.DefaultConfig], retention.Synonyms.Select(s => s.Source));
        Assert.False(string.IsNullOrEmpty(retention.Documentation));
        Assert.Equal((sbyte)ConfigType.List, result.Configs[0].ConfigType);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public async Task DescribeBrokerResourcesAndErrors(short version)
    {
        await using var broker = await AdminBroker.StartAsync();
        var request = new DescribeConfigsRequest
        {
            Resources =
            [
                new() { ResourceType = (sbyte)ConfigResourceType.Broker, ResourceName = "1", ConfigurationKeys = null },
                new() { ResourceType = (sbyte)ConfigResourceType.Broker, ResourceName = "", ConfigurationKeys = null },
                new() { ResourceType = (sbyte)ConfigResourceType.Broker, ResourceName = "7", ConfigurationKeys = null },
                new() { ResourceType = (sbyte)ConfigResourceType.Topic, ResourceName = "missing", ConfigurationKeys = null },
                new() { ResourceType = (sbyte)ConfigResourceType.Topic, ResourceName = "bad/name", ConfigurationKeys = null },
                new() { ResourceType = 3, ResourceName = "group", ConfigurationKeys = null },
            ],
        };
        var results = (await broker.Send<DescribeConfigsResponse>(request, version)).Results;
        Assert.Equal(
            [0, 0, (short)ErrorCode.InvalidRequest, (short)ErrorCode.UnknownTopicOrPartition, (short)ErrorCode.InvalidTopicException, (short)ErrorCode.InvalidRequest],
            results.Select(r => r.ErrorCode));
        var own = results[0].Configs.ToDictionary(c => c.Name);
        Assert.Equal(("1", true), (own["node.id"].Value, own["node.id"].ReadOnly));
        Assert.False(own["log.retention.ms"].ReadOnly);
        Assert.Empty(results[1].Configs);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public async Task AlterConfigsReplacesAndValidates(short version)
    {
        await using var broker = await AdminBroker.StartAsync();
        await broker.CreateTopic("t");
        AlterConfigsRequest Alter(string name, sbyte type, bool validateOnly, params (string, string?)[] configs) => new()
        {
            ValidateOnly = validateOnly,
            Resources = [new() { ResourceType = type, ResourceName = name, Configs = [.. configs.Select(c => new AlterConfigsRequest.AlterableConfig { Name = c.Item1, Value = c.Item2 })] }],
        };

        var ok = await broker.Send<AlterConfigsResponse>(Alter("t", 2, false, ("retention.ms", "5000"), ("cleanup.policy", "compact")), version);
        Assert.Equal((0, "t", (sbyte)2), (ok.Responses[0].ErrorCode, ok.Responses[0].ResourceName, ok.Responses[0].ResourceType));
        Assert.Equal("compact", broker.Stack.Image.Topic("t")!.Configs["cleanup.policy"]);

        Assert.Equal((short)ErrorCode.InvalidConfig, (await broker.Send<AlterConfigsResponse>(Alter("t", 2, false, ("retention.ms", "soon")), version)).Responses[0].ErrorCode);
        Assert.Equal((short)ErrorCode.UnknownTopicOrPartition, (await broker.Send<AlterConfigsResponse>(Alter("nope", 2, false, ("retention.ms", "1")), version)).Responses[0].ErrorCode);
        Assert.Equal((short)ErrorCode.InvalidConfig, (await broker.Send<AlterConfigsResponse>(Alter("", 4, false, ("log.dirs", "/elsewhere")), version)).Responses[0].ErrorCode);
        Assert.Equal(0, (await broker.Send<AlterConfigsResponse>(Alter("t", 2, true), version)).Responses[0].ErrorCode);
        Assert.Equal(2, broker.Stack.Image.Topic("t")!.Configs.Count);

        Assert.Equal(0, (await broker.Send<AlterConfigsResponse>(Alter("1", 4, false, ("message.max.bytes", "2000000")), version)).Responses[0].ErrorCode);
        Assert.Equal(2_000_000, broker.Stack.Resolver.Resolve(broker.Stack.Image, "t").MaxMessageBytes);

        // A repeated key: the last value wins (librdkafka's AlterConfigs helpers send the described
        // configs back with the change appended), and old four-part format versions are accepted.
        var repeated = await broker.Send<AlterConfigsResponse>(
            Alter("t", 2, false, ("message.format.version", "3.0-IV1"), ("retention.ms", "7000"), ("message.format.version", "0.10.0.0")), version);
        Assert.Equal(0, repeated.Responses[0].ErrorCode);
        Assert.Equal("0.10.0.0", broker.Stack.Image.Topic("t")!.Configs["message.format.version"]);
        Assert.Equal((short)ErrorCode.InvalidConfig, (await broker.Send<AlterConfigsResponse>(Alter("t", 2, false, ("message.format.version", "ten")), version)).Responses[0].ErrorCode);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task IncrementalAlterConfigs(short version)
    {
        await using var broker = await AdminBroker.StartAsync();
        await broker.CreateTopic("t");
        IncrementalAlterConfigsRequest Op(string key, ConfigOpCode op, string? value, string topic = "t") => new()
        {
            Resources = [new() { ResourceType = 2, ResourceName = topic, Configs = [new() { Name = key, ConfigOperation = (sbyte)op, Value = value }] }],
        };

        async Task<short> Send(IncrementalAlterConfigsRequest r) => (await broker.Send<IncrementalAlterConfigsResponse>(r, version)).Responses[0].ErrorCode;

        Assert.Equal(0, await Send(Op("cleanup.policy", ConfigOpCode.Append, "compact")));
        Assert.Equal("delete,compact", broker.Stack.Image.Topic("t")!.Configs["cleanup.policy"]);
        Assert.Equal(0, await Send(Op("cleanup.policy", ConfigOpCode.Subtract, "delete")));
        Assert.Equal("compact", broker.Stack.Image.Topic("t")!.Configs["cleanup.policy"]);
        Assert.Equal(0, await Send(Op("retention.bytes", ConfigOpCode.Set, "1000")));
        Assert.Equal(0, await Send(Op("retention.bytes", ConfigOpCode.Delete, null)));
        Assert.False(broker.Stack.Image.Topic("t")!.Configs.ContainsKey("retention.bytes"));

        Assert.Equal((short)ErrorCode.InvalidConfig, await Send(Op("retention.ms", ConfigOpCode.Append, "1")));
        Assert.Equal((short)ErrorCode.InvalidConfig, await Send(Op("cleanup.policy", ConfigOpCode.Subtract, "compact")));
        Assert.Equal((short)ErrorCode.UnknownTopicOrPartition, await Send(Op("retention.ms", ConfigOpCode.Set, "1", topic: "missing")));
        Assert.Equal((short)ErrorCode.InvalidRequest, await Send(Op("retention.ms", (ConfigOpCode)7, "1")));
    }

    /// <summary>Wire codes of IncrementalAlterConfigs operations.</summary>
    public enum ConfigOpCode : sbyte
    {
        Set = 0,
        Delete = 1,
        Append = 2,
        Subtract = 3,
    }
}
