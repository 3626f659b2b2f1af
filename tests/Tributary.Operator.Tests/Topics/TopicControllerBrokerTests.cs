using System.Text.Json.Nodes;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Tributary.Kube;
using Tributary.Operator.Api;
using Tributary.Operator.Controllers.Topics;
using Tributary.TestSupport;
using Xunit;

namespace Tributary.Operator.Tests.Topics;

/// <summary>
/// The topic controller through the real <see cref="KafkaTopicAdmin"/> against a real `tributary broker`
/// process, with Confluent.Kafka (librdkafka) as the independent witness of what the broker holds.
/// </summary>
public sealed class TopicControllerBrokerTests : IClassFixture<BrokerFixture>, IDisposable
{
    private const string Cluster = "local";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private readonly BrokerFixture _fixture;
    private readonly IAdminClient _witness;

    public TopicControllerBrokerTests(BrokerFixture fixture)
    {
        _fixture = fixture;
        RealClients.EnsureLoaded();
        _witness = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = fixture.Broker.BootstrapServers }).Build();
    }

    public void Dispose() => _witness.Dispose();

    private async Task<TopicControllerHarness> StartAsync(TimeSpan? resync = null)
    {
        var harness = await TopicControllerHarness.StartAsync(new KafkaTopicAdminFactory(), new TopicControllerOptions
        {
            ResyncPeriod = resync ?? TimeSpan.FromSeconds(30),
            ClusterNotReadyRetry = TimeSpan.FromSeconds(30),
        });
        await harness.CreateClusterAsync(Cluster, _fixture.Broker.BootstrapServers, brokers: 1);
        return harness;
    }

    [Fact]
    public async Task CreateGrowConfigureRevertAndDelete_OnARealBroker()
    {
        await using var h = await StartAsync(resync: TimeSpan.FromMilliseconds(500));
        await h.CreateTopicAsync("orders", Cluster, partitions: 2, replicationFactor: 1,
            config: new() { ["retention.ms"] = "3600000", ["cleanup.policy"] = "compact" });

        var obj = await h.WaitForConditionAsync("orders", ConditionTypes.Ready, ConditionStatus.True, TopicReasons.Ready, Wait);
        Assert.Equal(2, PartitionCount("orders"));
        Assert.Equal(new Dictionary<string, string> { ["cleanup.policy"] = "compact", ["retention.ms"] = "3600000" }, await TopicOverridesAsync("orders"));
        var status = TopicControllerHarness.Typed(obj).Status!;
        Assert.Equal(2, status.Partitions);
        Assert.Equal(1, status.ReplicationFactor);
        Assert.False(string.IsNullOrEmpty(status.TopicId));

        // Grow.
        await h.PatchSpecAsync("orders", new JsonObject { ["partitions"] = 5 });
        await h.WaitUntilAsync(() => PartitionCount("orders") == 5, () => $"5 partitions, have {PartitionCount("orders")}", Wait);
        obj = await h.WaitForConditionAsync("orders", ConditionTypes.Ready, ConditionStatus.True, TopicReasons.Ready, Wait);
        Assert.Equal(5, TopicControllerHarness.Typed(obj).Status!.Partitions);

        // Change config: one value changed, one key dropped.
        await h.PatchSpecAsync("orders", new JsonObject { ["config"] = new JsonObject { ["retention.ms"] = "7200000", ["cleanup.policy"] = null } });
        await WaitForOverridesAsync(h, "orders", new() { ["retention.ms"] = "7200000" });

        // Out of band: the legacy AlterConfigs replaces the whole override set.
        await _witness.AlterConfigsAsync(new Dictionary<ConfigResource, List<ConfigEntry>>
        {
            [Resource("orders")] = [new ConfigEntry { Name = "retention.ms", Value = "1000" }, new ConfigEntry { Name = "max.message.bytes", Value = "12345" }],
        });
        Assert.Equal("12345", (await TopicOverridesAsync("orders")).GetValueOrDefault("max.message.bytes"));
        await WaitForOverridesAsync(h, "orders", new() { ["retention.ms"] = "7200000" });

        // Delete.
        await h.DeleteTopicAsync("orders");
        await h.WaitUntilAsync(async () => await h.GetTopicAsync("orders") is null, () => "Topic resource gone", Wait);
        Assert.False(TopicExists("orders"));
        Assert.Contains(await h.EventsForAsync("orders"), e => e.Reason == TopicReasons.Deleted);
    }

    [Fact]
    public async Task NameConflict_OnARealBroker_OldestWinsAndTheLoserLeavesTheTopicAlone()
    {
        await using var h = await StartAsync();
        await h.CreateTopicAsync("payments", Cluster, partitions: 3, replicationFactor: 1);
        await h.WaitForConditionAsync("payments", ConditionTypes.Ready, ConditionStatus.True, TopicReasons.Ready, Wait);
        await Task.Delay(1100);
        await h.CreateTopicAsync("payments-again", Cluster, partitions: 7, replicationFactor: 1,
            config: new() { ["retention.ms"] = "1" }, topicName: "payments");

        var loser = await h.WaitForConditionAsync("payments-again", ConditionTypes.Stalled, ConditionStatus.True, TopicReasons.TopicNameConflict, Wait);
        Assert.Contains("'payments'", TopicControllerHarness.ConditionOf(loser, ConditionTypes.Stalled)!.Message, StringComparison.Ordinal);
        Assert.Equal(3, PartitionCount("payments"));
        Assert.Empty(await TopicOverridesAsync("payments"));

        await h.DeleteTopicAsync("payments-again");
        await h.WaitUntilAsync(async () => await h.GetTopicAsync("payments-again") is null, () => "loser gone", Wait);
        Assert.True(TopicExists("payments"));
        Assert.Equal(3, PartitionCount("payments"));

        await h.DeleteTopicAsync("payments");
        await h.WaitUntilAsync(async () => await h.GetTopicAsync("payments") is null, () => "owner gone", Wait);
        Assert.False(TopicExists("payments"));
    }

    [Fact]
    public async Task RefusedChanges_OnARealBroker_AreStalledWithClearMessages()
    {
        await using var h = await StartAsync();
        await h.CreateTopicAsync("clicks", Cluster, partitions: 2, replicationFactor: 1, config: new() { ["no.such.config"] = "1" });

        var obj = await h.WaitForConditionAsync("clicks", ConditionTypes.Stalled, ConditionStatus.True, TopicReasons.KafkaError, Wait);
        Assert.StartsWith("CreateTopics failed: INVALID_CONFIG", TopicControllerHarness.ConditionOf(obj, ConditionTypes.Stalled)!.Message, StringComparison.Ordinal);
        Assert.False(TopicExists("clicks"));

        await h.PatchSpecAsync("clicks", new JsonObject { ["config"] = new JsonObject { ["no.such.config"] = null } });
        await h.WaitForConditionAsync("clicks", ConditionTypes.Ready, ConditionStatus.True, TopicReasons.Ready, Wait);
        Assert.Equal(2, PartitionCount("clicks"));

        await h.PatchSpecAsync("clicks", new JsonObject { ["partitions"] = 1 });
        await h.WaitForConditionAsync("clicks", ConditionTypes.Stalled, ConditionStatus.True, TopicReasons.PartitionDecreaseNotSupported, Wait);
        Assert.Equal(2, PartitionCount("clicks"));

        await h.DeleteTopicAsync("clicks");
        await h.WaitUntilAsync(async () => await h.GetTopicAsync("clicks") is null, () => "Topic resource gone", Wait);
        Assert.False(TopicExists("clicks"));
    }

    private async Task WaitForOverridesAsync(TopicControllerHarness h, string topic, Dictionary<string, string> expected)
    {
        IReadOnlyDictionary<string, string> last = new Dictionary<string, string>();
        await h.WaitUntilAsync(async () =>
        {
            last = await TopicOverridesAsync(topic);
            return last.Count == expected.Count && expected.All(kv => last.TryGetValue(kv.Key, out var v) && v == kv.Value);
        }, () => "overrides " + string.Join(",", expected) + ", have " + string.Join(",", last), Wait);
    }

    private static ConfigResource Resource(string topic) => new() { Type = ResourceType.Topic, Name = topic };

    private async Task<IReadOnlyDictionary<string, string>> TopicOverridesAsync(string topic)
    {
        var described = await _witness.DescribeConfigsAsync([Resource(topic)]);
        return described.Single().Entries.Values
            .Where(e => e.Source == ConfigSource.DynamicTopicConfig)
            .ToDictionary(e => e.Name, e => e.Value, StringComparer.Ordinal);
    }

    // All-topics metadata: asking for one topic by name could auto-create it on brokers that allow that.
    private int PartitionCount(string topic)
    {
        var metadata = _witness.GetMetadata(TimeSpan.FromSeconds(10)).Topics.SingleOrDefault(t => t.Topic == topic);
        return metadata is null || metadata.Error.IsError ? -1 : metadata.Partitions.Count;
    }

    private bool TopicExists(string topic) =>
        _witness.GetMetadata(TimeSpan.FromSeconds(10)).Topics.Any(t => t.Topic == topic && !t.Error.IsError);
}
