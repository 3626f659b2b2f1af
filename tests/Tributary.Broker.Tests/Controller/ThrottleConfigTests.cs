using Tributary.Broker.Topics;
using Tributary.Protocol;
using Tributary.Protocol.Messages;
using Xunit;

namespace Tributary.Broker.Tests.Controller;

/// <summary>The configs kafka-reassign-partitions --throttle writes are accepted by the controller.</summary>
public class ThrottleConfigTests
{
    private static IncrementalAlterConfigsRequest Set(ConfigResourceType type, string name, params (string Key, string Value)[] configs) => new()
    {
        Resources = [new IncrementalAlterConfigsRequest.AlterConfigsResource
        {
            ResourceType = (sbyte)type,
            ResourceName = name,
            Configs = [.. configs.Select(c => new IncrementalAlterConfigsRequest.AlterableConfig { Name = c.Key, Value = c.Value, ConfigOperation = 0 })],
        }],
    };

    [Fact]
    public async Task ThrottleRatesAndThrottledReplicasCanBeSetAndRemoved()
    {
        using var h = new ControllerHarness();
        await h.ActivateAsync();
        await h.StartBrokersAsync(1, 2);
        await h.CreateTopicAsync("t", [1, 2]);

        var rates = await h.Controller.IncrementalAlterConfigsAsync(
            Set(ConfigResourceType.Broker, "1", ("leader.replication.throttled.rate", "1048576"), ("follower.replication.throttled.rate", "1048576")), CancellationToken.None);
        Assert.Equal(ErrorCode.None, Assert.Single(rates).Error);
        Assert.Equal("1048576", h.Image.BrokerConfigsFor(1)["leader.replication.throttled.rate"]);

        var replicas = await h.Controller.IncrementalAlterConfigsAsync(
            Set(ConfigResourceType.Topic, "t", ("leader.replication.throttled.replicas", "0:1,0:2"), ("follower.replication.throttled.replicas", "0:3")), CancellationToken.None);
        Assert.Equal(ErrorCode.None, Assert.Single(replicas).Error);
        Assert.Equal("0:1,0:2", h.Image.Topic("t")!.Configs["leader.replication.throttled.replicas"]);

        var negative = await h.Controller.IncrementalAlterConfigsAsync(Set(ConfigResourceType.Broker, "1", ("leader.replication.throttled.rate", "-5")), CancellationToken.None);
        Assert.Equal(ErrorCode.InvalidConfig, Assert.Single(negative).Error);

        var delete = new IncrementalAlterConfigsRequest
        {
            Resources = [new() { ResourceType = (sbyte)ConfigResourceType.Broker, ResourceName = "1", Configs = [new() { Name = "leader.replication.throttled.rate", ConfigOperation = 1 }] }],
        };
        Assert.Equal(ErrorCode.None, Assert.Single(await h.Controller.IncrementalAlterConfigsAsync(delete, CancellationToken.None)).Error);
        Assert.False(h.Image.BrokerConfigsFor(1).ContainsKey("leader.replication.throttled.rate"));
    }
}
