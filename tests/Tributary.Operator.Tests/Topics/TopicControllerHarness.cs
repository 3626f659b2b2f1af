using System.Text.Json.Nodes;
using Tributary.FakeKube;
using Tributary.Kube;
using Tributary.Operator.Api;
using Tributary.Operator.Controllers.Topics;
using Tributary.Operator.Crds;
using Tributary.Operator.Hosting;

namespace Tributary.Operator.Tests.Topics;

/// <summary>
/// A fake API server with the Tributary CRDs, a running <see cref="TopicController"/> and helpers to
/// drive Topics and KafkaClusters and wait for the controller's answers.
/// </summary>
public sealed class TopicControllerHarness : IAsyncDisposable
{
    public const string Namespace = "default";

    private readonly CancellationTokenSource _stop = new();
    private readonly ListLogger<TopicController> _log;
    private Task _run = Task.CompletedTask;

    private TopicControllerHarness(FakeApiServer server, KubeHttpClient client, TopicController controller, ListLogger<TopicController> log, OperatorMetrics metrics)
    {
        Server = server;
        Client = client;
        Controller = controller;
        Metrics = metrics;
        _log = log;
    }

    public FakeApiServer Server { get; }

    public KubeHttpClient Client { get; }

    public TopicController Controller { get; }

    public OperatorMetrics Metrics { get; }

    /// <summary>Warnings the controller logged (failed reconciles are retried; stale-write conflicts are expected).</summary>
    public IReadOnlyList<string> Warnings => _log.Entries;

    public static async Task<TopicControllerHarness> StartAsync(ITopicAdminFactory admins, TopicControllerOptions? options = null)
    {
        var server = await FakeApiServer.StartAsync();
        var client = server.CreateClient();
        foreach (var type in new[] { typeof(KafkaCluster), typeof(Topic) })
        {
            // Round-trip through text: the generator builds nodes from CLR values the client cannot reserialize.
            await client.CreateAsync(ResourceDescriptor.CustomResourceDefinitions, KubeJson.ParseObject(CrdGenerator.Generate(type).ToJsonString()));
        }
        var events = new KubeEventRecorder(client, "tributary-operator");
        var log = new ListLogger<TopicController>();
        var metrics = new OperatorMetrics();
        var controller = new TopicController(client, admins, events, options ?? new TopicControllerOptions
        {
            ResyncPeriod = TimeSpan.FromSeconds(30),
            ClusterNotReadyRetry = TimeSpan.FromSeconds(30),
        }, metrics, log);
        var harness = new TopicControllerHarness(server, client, controller, log, metrics);
        harness._run = Task.Run(() => controller.RunAsync(harness._stop.Token));
        return harness;
    }

    public async Task CreateClusterAsync(string name, string? bootstrapServers, int brokers = 3)
    {
        var cluster = new JsonObject
        {
            ["apiVersion"] = KafkaApi.ApiVersion,
            ["kind"] = "KafkaCluster",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = Namespace },
            ["spec"] = new JsonObject { ["brokers"] = brokers, ["storage"] = new JsonObject { ["size"] = "1Gi" } },
        };
        await Client.CreateAsync(TopicResources.KafkaClusters, cluster);
        if (bootstrapServers is not null)
        {
            await SetClusterReadyAsync(name, bootstrapServers);
        }
    }

    public async Task SetClusterReadyAsync(string name, string bootstrapServers)
    {
        var cluster = await Client.GetAsync(TopicResources.KafkaClusters, Namespace, name);
        cluster["status"] = new JsonObject
        {
            ["bootstrapServers"] = bootstrapServers,
            ["conditions"] = new JsonArray(new JsonObject
            {
                ["type"] = "Ready",
                ["status"] = "True",
                ["reason"] = "Ready",
                ["message"] = "all brokers ready",
                ["lastTransitionTime"] = KubeJson.FormatTime(DateTimeOffset.UtcNow),
            }),
        };
        await Client.UpdateStatusAsync(TopicResources.KafkaClusters, cluster);
    }

    public async Task<JsonObject> CreateTopicAsync(
        string name,
        string cluster,
        int partitions = 3,
        int replicationFactor = 3,
        Dictionary<string, string>? config = null,
        DeletionPolicy deletionPolicy = DeletionPolicy.Delete,
        string? topicName = null)
    {
        var topic = new Topic
        {
            Metadata = new ObjectMeta { Name = name, Namespace = Namespace },
            Spec = new TopicSpec
            {
                ClusterRef = new ClusterReference { Name = cluster },
                TopicName = topicName,
                Partitions = partitions,
                ReplicationFactor = replicationFactor,
                Config = config,
                DeletionPolicy = deletionPolicy,
            },
        };
        var json = KubeJson.ParseObject(ApiJson.Serialize(topic));
        return await Client.CreateAsync(TopicResources.Topics, json);
    }

    public Task PatchSpecAsync(string name, JsonObject specPatch) =>
        Client.PatchAsync(TopicResources.Topics, Namespace, name, new JsonObject { ["spec"] = specPatch });

    public Task DeleteTopicAsync(string name) => Client.DeleteAsync(TopicResources.Topics, Namespace, name);

    public Task<JsonObject?> GetTopicAsync(string name) => Client.TryGetAsync(TopicResources.Topics, Namespace, name);

    /// <summary>The typed view of a Topic resource.</summary>
    public static Topic Typed(JsonObject obj) => ApiJson.Deserialize<Topic>(obj.ToJsonString());

    public static Condition? ConditionOf(JsonObject obj, string type) =>
        Typed(obj).Status?.Conditions?.FirstOrDefault(c => c.Type == type);

    /// <summary>Waits until the Topic has the condition with this status (and reason, when given) for its current generation.</summary>
    public async Task<JsonObject> WaitForConditionAsync(string name, string type, ConditionStatus status, string? reason = null, TimeSpan? timeout = null)
    {
        JsonObject? last = null;
        await WaitUntilAsync(async () =>
        {
            last = await GetTopicAsync(name);
            var c = last is null ? null : ConditionOf(last, type);
            return c is not null && c.Status == status && (reason is null || c.Reason == reason)
                && Typed(last!).Status?.ObservedGeneration == last!.Generation();
        }, () => $"Topic {name}: {type}={status} {reason}; last seen {last?["status"]?.ToJsonString()}", timeout);
        return last!;
    }

    public async Task WaitUntilAsync(Func<Task<bool>> condition, Func<string> describe, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            if (await condition())
            {
                return;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out waiting for {describe()}\ncontroller warnings:\n{string.Join("\n", Warnings)}");
            }
            await Task.Delay(50);
        }
    }

    public Task WaitUntilAsync(Func<bool> condition, Func<string> describe, TimeSpan? timeout = null) =>
        WaitUntilAsync(() => Task.FromResult(condition()), describe, timeout);

    /// <summary>(reason, message, type) of the Events about the named Topic.</summary>
    public async Task<IReadOnlyList<(string Reason, string Message, string Type)>> EventsForAsync(string name)
    {
        var events = (await Client.ListAsync(ResourceDescriptor.Events, Namespace)).Items;
        return events
            .Where(e => e["involvedObject"]?["name"]?.GetValue<string>() == name && e["involvedObject"]?["kind"]?.GetValue<string>() == "Topic")
            .Select(e => (e.GetString("reason") ?? "", e.GetString("message") ?? "", e.GetString("type") ?? ""))
            .ToList();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _run;
        Client.Dispose();
        await Server.DisposeAsync();
        _stop.Dispose();
    }
}
