using System.Text.Json.Nodes;
using Tributary.FakeKube;

namespace Tributary.Kube.Tests;

public sealed class ApplyTests : IAsyncLifetime
{
    private FakeApiServer _server = null!;
    private KubeHttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeApiServer.StartAsync();
        _client = _server.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Apply_CreatesThenMergesAndRecordsManagedFields()
    {
        var first = await _client.ApplyAsync(ResourceDescriptor.ConfigMaps,
            TestObjects.ConfigMap("default", "cfg", new Dictionary<string, string> { ["app"] = "a" }, new Dictionary<string, string> { ["x"] = "1", ["y"] = "2" }));
        Assert.Equal("1", first["data"]!["x"]!.GetValue<string>());
        var managed = Assert.Single(first["metadata"]!["managedFields"]!.AsArray());
        Assert.Equal("tributary-operator", managed!["manager"]!.GetValue<string>());
        Assert.Equal("Apply", managed["operation"]!.GetValue<string>());
        Assert.NotNull(managed["fieldsV1"]!["f:data"]!["f:x"]);

        // Another manager adds its own field: both coexist.
        await _client.ApplyAsync(ResourceDescriptor.ConfigMaps, new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject { ["name"] = "cfg", ["namespace"] = "default" },
            ["data"] = new JsonObject { ["other"] = "o" },
        }, new ApplyOptions { FieldManager = "someone-else" });

        // The first manager drops y: y goes, x stays, the other manager's field stays.
        var second = await _client.ApplyAsync(ResourceDescriptor.ConfigMaps,
            TestObjects.ConfigMap("default", "cfg", new Dictionary<string, string> { ["app"] = "a" }, new Dictionary<string, string> { ["x"] = "10" }));
        var data = second["data"]!.AsObject();
        Assert.Equal("10", data["x"]!.GetValue<string>());
        Assert.False(data.ContainsKey("y"));
        Assert.Equal("o", data["other"]!.GetValue<string>());
        Assert.Equal(2, second["metadata"]!["managedFields"]!.AsArray().Count);

        // Dropping every label removes the labels the manager owned.
        var third = await _client.ApplyAsync(ResourceDescriptor.ConfigMaps, TestObjects.ConfigMap("default", "cfg", data: new Dictionary<string, string> { ["x"] = "10" }));
        Assert.Null(third["metadata"]!["labels"]?["app"]);
    }

    [Fact]
    public async Task Apply_ConflictsWithOtherManagerUnlessForced()
    {
        await _client.ApplyAsync(ResourceDescriptor.ConfigMaps, TestObjects.ConfigMap("default", "c", data: new Dictionary<string, string> { ["k"] = "mine" }));
        var theirs = TestObjects.ConfigMap("default", "c", data: new Dictionary<string, string> { ["k"] = "theirs" });

        var e = await Assert.ThrowsAsync<KubeApiException>(() =>
            _client.ApplyAsync(ResourceDescriptor.ConfigMaps, theirs, new ApplyOptions { FieldManager = "intruder", Force = false }));
        Assert.True(e.IsConflict);
        Assert.Contains("tributary-operator", e.Message, StringComparison.Ordinal);
        Assert.Contains(".data.k", e.Message, StringComparison.Ordinal);

        // Same value is shared ownership, not a conflict.
        await _client.ApplyAsync(ResourceDescriptor.ConfigMaps, TestObjects.ConfigMap("default", "c", data: new Dictionary<string, string> { ["k"] = "mine" }),
            new ApplyOptions { FieldManager = "sharer", Force = false });

        var forced = await _client.ApplyAsync(ResourceDescriptor.ConfigMaps, theirs, new ApplyOptions { FieldManager = "intruder", Force = true });
        Assert.Equal("theirs", forced["data"]!["k"]!.GetValue<string>());
    }

    [Fact]
    public async Task Apply_MergesKeyedListsByName()
    {
        var sts = TestObjects.StatefulSet("default", "s", 1);
        await _client.ApplyAsync(ResourceDescriptor.StatefulSets, sts);

        // A second manager adds an env var to the same container and a sidecar.
        var patch = JsonNode.Parse("""
            {"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"s","namespace":"default"},
             "spec":{"template":{"spec":{"containers":[
               {"name":"main","env":[{"name":"A","value":"1"}]},
               {"name":"sidecar","image":"proxy:1"}]}}}}
            """)!.AsObject();
        var merged = await _client.ApplyAsync(ResourceDescriptor.StatefulSets, patch, new ApplyOptions { FieldManager = "injector" });
        var containers = merged["spec"]!["template"]!["spec"]!["containers"]!.AsArray();
        Assert.Equal(2, containers.Count);
        var main = containers.Single(c => c!["name"]!.GetValue<string>() == "main")!;
        Assert.Equal("busybox:1", main["image"]!.GetValue<string>());
        Assert.Equal("1", main["env"]![0]!["value"]!.GetValue<string>());
        Assert.Equal(2, merged.Generation());

        // The injector drops its sidecar: only the sidecar goes.
        var withoutSidecar = JsonNode.Parse("""
            {"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"s","namespace":"default"},
             "spec":{"template":{"spec":{"containers":[{"name":"main","env":[{"name":"A","value":"1"}]}]}}}}
            """)!.AsObject();
        var after = await _client.ApplyAsync(ResourceDescriptor.StatefulSets, withoutSidecar, new ApplyOptions { FieldManager = "injector" });
        var remaining = after["spec"]!["template"]!["spec"]!["containers"]!.AsArray();
        Assert.Equal("main", Assert.Single(remaining)!["name"]!.GetValue<string>());
        Assert.Equal("busybox:1", remaining[0]!["image"]!.GetValue<string>());
    }

    [Fact]
    public async Task ApplyStatus_ChangesOnlyStatus()
    {
        var created = await _client.ApplyAsync(ResourceDescriptor.StatefulSets, TestObjects.StatefulSet("default", "s", 2));
        var statusApply = new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "StatefulSet",
            ["metadata"] = new JsonObject { ["name"] = "s", ["namespace"] = "default" },
            ["spec"] = new JsonObject { ["replicas"] = 7 },
            ["status"] = new JsonObject
            {
                ["readyReplicas"] = 1,
                ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "False" }),
            },
        };
        var result = await _client.ApplyAsync(ResourceDescriptor.StatefulSets, statusApply, new ApplyOptions { Subresource = "status" });
        Assert.Equal(2, result["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal(1, result["status"]!["readyReplicas"]!.GetValue<int>());
        Assert.Equal(created.Generation(), result.Generation());

        // Status applies merge conditions by type.
        statusApply["status"] = new JsonObject
        {
            ["readyReplicas"] = 2,
            ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "True" }),
        };
        var second = await _client.ApplyAsync(ResourceDescriptor.StatefulSets, statusApply, new ApplyOptions { Subresource = "status" });
        var condition = Assert.Single(second["status"]!["conditions"]!.AsArray());
        Assert.Equal("True", condition!["status"]!.GetValue<string>());

        // Applying the main resource ignores status.
        var main = TestObjects.StatefulSet("default", "s", 2);
        main["status"] = new JsonObject { ["readyReplicas"] = 99 };
        var mainResult = await _client.ApplyAsync(ResourceDescriptor.StatefulSets, main);
        Assert.Equal(2, mainResult["status"]!["readyReplicas"]!.GetValue<int>());
    }

    [Fact]
    public async Task ApplyStatus_OnMissingObject_IsNotFound()
    {
        var e = await Assert.ThrowsAsync<KubeApiException>(() => _client.ApplyAsync(ResourceDescriptor.StatefulSets,
            TestObjects.StatefulSet("default", "ghost", 1), new ApplyOptions { Subresource = "status" }));
        Assert.True(e.IsNotFound);
    }
}
