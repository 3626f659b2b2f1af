using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Tributary.FakeKube;
using Tributary.Kube;
using Tributary.Operator.Api;
using Tributary.Operator.Controllers;
using Tributary.Operator.Crds;
using Tributary.Operator.Hosting;
using Tributary.Operator.Rolling;
using Xunit;

namespace Tributary.Operator.Tests.Controllers;

/// <summary>
/// A fake API server simulating StatefulSets and pods, three zoned nodes, the Tributary CRDs and a running
/// <see cref="KafkaClusterController"/>, with helpers to drive KafkaClusters and wait for the outcome.
/// </summary>
public sealed class KafkaClusterHarness : IAsyncDisposable
{
    public const string Namespace = "kafka";
    public const string ClusterName = "orders";
    public static readonly string[] Zones = ["eu-west-1a", "eu-west-1b", "eu-west-1c"];

    private readonly CancellationTokenSource _stop = new();
    private Task _run = Task.CompletedTask;

    private KafkaClusterHarness(FakeApiServer server, KubeHttpClient client, KafkaClusterController controller, OperatorMetrics metrics)
    {
        Server = server;
        Client = client;
        Controller = controller;
        Metrics = metrics;
    }

    public FakeApiServer Server { get; }

    public KubeHttpClient Client { get; }

    public KafkaClusterController Controller { get; }

    public OperatorMetrics Metrics { get; }

    public static Task<FakeApiServer> StartServerAsync() =>
        FakeApiServer.StartAsync(new FakeApiServerOptions { SimulateWorkloads = true, WorkloadInterval = TimeSpan.FromMilliseconds(30) });

    /// <summary>CRDs, the kafka namespace and one Ready node per zone (node-a, node-b, node-c).</summary>
    public static async Task SeedAsync(IKubeClient client, DateTimeOffset now)
    {
        foreach (var type in new[] { typeof(KafkaCluster), typeof(Topic) })
        {
            // Round-trip through text: the generator's tree holds CLR values the client's options cannot write.
            await client.CreateAsync(ResourceDescriptor.CustomResourceDefinitions, KubeJson.ParseObject(CrdGenerator.Generate(type).ToJsonString()));
        }

        await client.CreateAsync(ResourceDescriptor.Namespaces, new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = Namespace },
        });
        foreach (var zone in Zones)
        {
            var node = await client.CreateAsync(ResourceDescriptor.Nodes, new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Node",
                ["metadata"] = new JsonObject
                {
                    ["name"] = NodeName(zone),
                    ["labels"] = new JsonObject { ["topology.kubernetes.io/zone"] = zone, ["kubernetes.io/hostname"] = NodeName(zone) },
                },
            });
            await SetNodeReadyAsync(client, node.Name()!, true, now);
        }
    }

    public static string NodeName(string zone) => "node-" + zone[^1];

    public static async Task SetNodeReadyAsync(IKubeClient client, string node, bool ready, DateTimeOffset since)
    {
        var current = await client.GetAsync(ResourceDescriptor.Nodes, null, node);
        current["status"] = new JsonObject
        {
            ["conditions"] = new JsonArray(new JsonObject
            {
                ["type"] = "Ready",
                ["status"] = ready ? "True" : "Unknown",
                ["reason"] = ready ? "KubeletReady" : "NodeStatusUnknown",
                ["lastTransitionTime"] = KubeJson.FormatTime(since),
            }),
            ["addresses"] = new JsonArray(new JsonObject { ["type"] = "InternalIP", ["address"] = "10.0.0." + (node[^1] - 'a' + 10).ToString(CultureInfo.InvariantCulture) }),
        };
        await client.UpdateStatusAsync(ResourceDescriptor.Nodes, current);
    }

    public static async Task<KafkaClusterHarness> StartAsync(IClusterSafetyProbe? probe = null, TimeProvider? time = null, Func<FakeApiServer, IClusterSafetyProbe>? probeFactory = null)
    {
        var server = await StartServerAsync();
        var client = server.CreateClient();
        await SeedAsync(client, (time ?? TimeProvider.System).GetUtcNow());
        var metrics = new OperatorMetrics();
        var controller = new KafkaClusterController(
            client,
            new KubeEventRecorder(client, "tributary-operator", "test", time),
            probe ?? probeFactory?.Invoke(server) ?? new PodReadinessSafetyProbe(client),
            new KafkaClusterControllerOptions
            {
                RollRetryInterval = TimeSpan.FromMilliseconds(100),
                ResyncPeriod = TimeSpan.FromMinutes(30),
                TimeProvider = time ?? TimeProvider.System,
            },
            metrics,
            NullLogger<KafkaClusterController>.Instance);
        var harness = new KafkaClusterHarness(server, client, controller, metrics);
        harness._run = Task.Run(() => controller.RunAsync(harness._stop.Token));
        return harness;
    }

    /// <summary>examples/kafkacluster-3az.yaml as checked in.</summary>
    public static JsonObject Example() => KubeYaml.ParseObject(File.ReadAllText(RepoPaths.Combine("examples", "kafkacluster-3az.yaml")));

    public Task<JsonObject> CreateClusterAsync(JsonObject? cluster = null) =>
        Client.CreateAsync(KafkaResources.KafkaClusters, cluster ?? Example());

    public Task<JsonObject> GetClusterAsync() => Client.GetAsync(KafkaResources.KafkaClusters, Namespace, ClusterName);

    public Task<JsonObject> PatchSpecAsync(JsonObject specPatch) =>
        Client.PatchAsync(KafkaResources.KafkaClusters, Namespace, ClusterName, new JsonObject { ["spec"] = specPatch });

    public static JsonObject? Condition(JsonObject cluster, string type) =>
        (cluster["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => c.GetString("type") == type);

    public static bool IsReadyAtCurrentGeneration(JsonObject cluster) =>
        Condition(cluster, "Ready")?.GetString("status") == "True"
        && cluster["status"]?["observedGeneration"].AsInt64() == cluster.Generation();

    /// <summary>Waits until the cluster satisfies the predicate (20 s at most) and returns it.</summary>
    public async Task<JsonObject> WaitForClusterAsync(Func<JsonObject, bool> predicate, string what)
    {
        JsonObject? last = null;
        await WaitUntilAsync(async () =>
        {
            last = await GetClusterAsync();
            return predicate(last);
        }, () => $"{what}; last status: {last?["status"]?.ToJsonString()}");
        return last!;
    }

    public static async Task WaitUntilAsync(Func<Task<bool>> condition, Func<string> describe, int timeoutSeconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(25);
        }

        Assert.Fail("timed out: " + describe());
    }

    public IReadOnlyList<JsonObject> Events(string? reason = null) =>
        Server.Store.List(ResourceDescriptor.Events, Namespace)
            .Where(e => reason is null || e.GetString("reason") == reason)
            .OrderBy(e => e.GetString("firstTimestamp"), StringComparer.Ordinal)
            .ThenBy(e => long.Parse(e.ResourceVersion() ?? "0", CultureInfo.InvariantCulture))
            .ToList();

    public IReadOnlyList<JsonObject> List(ResourceDescriptor resource) => Server.Store.List(resource, Namespace);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _run;
        Client.Dispose();
        await Server.DisposeAsync();
        _stop.Dispose();
    }
}
