using System.Text.Json.Nodes;
using Tributary.FakeKube;

namespace Tributary.Kube.Tests;

public sealed class ClientCrudTests : IAsyncLifetime
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
    public async Task CreateGetUpdateDelete_RoundTrip()
    {
        var created = await _client.CreateAsync(ResourceDescriptor.ConfigMaps, TestObjects.ConfigMap("default", "a", data: new Dictionary<string, string> { ["k"] = "1" }));
        Assert.False(string.IsNullOrEmpty(created.Uid()));
        Assert.NotNull(created["metadata"]?["creationTimestamp"]);
        var rv1 = long.Parse(created.ResourceVersion()!, System.Globalization.CultureInfo.InvariantCulture);

        var fetched = await _client.GetAsync(ResourceDescriptor.ConfigMaps, "default", "a");
        Assert.Equal("1", fetched["data"]!["k"]!.GetValue<string>());

        fetched["data"]!["k"] = "2";
        var updated = await _client.UpdateAsync(ResourceDescriptor.ConfigMaps, fetched);
        Assert.True(long.Parse(updated.ResourceVersion()!, System.Globalization.CultureInfo.InvariantCulture) > rv1);
        Assert.Equal(created.Uid(), updated.Uid());

        Assert.Null(await _client.DeleteAsync(ResourceDescriptor.ConfigMaps, "default", "a"));
        var e = await Assert.ThrowsAsync<KubeApiException>(() => _client.GetAsync(ResourceDescriptor.ConfigMaps, "default", "a"));
        Assert.True(e.IsNotFound);
        Assert.Equal("NotFound", e.Reason);
        Assert.Null(await _client.TryGetAsync(ResourceDescriptor.ConfigMaps, "default", "a"));
    }

    [Fact]
    public async Task CreateExisting_IsAlreadyExists()
    {
        await _client.CreateAsync(ResourceDescriptor.ConfigMaps, TestObjects.ConfigMap("default", "dup"));
        var e = await Assert.ThrowsAsync<KubeApiException>(() => _client.CreateAsync(ResourceDescriptor.ConfigMaps, TestObjects.ConfigMap("default", "dup")));
        Assert.Equal(409, e.StatusCode);
        Assert.True(e.IsAlreadyExists);
        Assert.False(e.IsConflict);
    }

    [Fact]
    public async Task UpdateWithStaleResourceVersion_IsConflict()
    {
        var created = await _client.CreateAsync(ResourceDescriptor.ConfigMaps, TestObjects.ConfigMap("default", "c", data: new Dictionary<string, string> { ["k"] = "1" }));
        var first = (JsonObject)created.DeepClone();
        first["data"]!["k"] = "first";
        await _client.UpdateAsync(ResourceDescriptor.ConfigMaps, first);

        var stale = (JsonObject)created.DeepClone();
        stale["data"]!["k"] = "stale";
        var e = await Assert.ThrowsAsync<KubeApiException>(() => _client.UpdateAsync(ResourceDescriptor.ConfigMaps, stale));
        Assert.True(e.IsConflict);
        Assert.Equal("Conflict", e.Reason);
        Assert.Equal("first", (await _client.GetAsync(ResourceDescriptor.ConfigMaps, "default", "c"))["data"]!["k"]!.GetValue<string>());
    }

    [Fact]
    public async Task CreateInMissingNamespace_IsNotFound()
    {
        var e = await Assert.ThrowsAsync<KubeApiException>(() => _client.CreateAsync(ResourceDescriptor.ConfigMaps, TestObjects.ConfigMap("nope", "x")));
        Assert.True(e.IsNotFound);
        Assert.Contains("namespaces \"nope\" not found", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_FiltersByLabelSelectors()
    {
        await _client.CreateAsync(ResourceDescriptor.ConfigMaps, TestObjects.ConfigMap("default", "a", new Dictionary<string, string> { ["app"] = "kafka", ["tier"] = "broker" }));
        await _client.CreateAsync(ResourceDescriptor.ConfigMaps, TestObjects.ConfigMap("default", "b", new Dictionary<string, string> { ["app"] = "kafka", ["tier"] = "connect" }));
        await _client.CreateAsync(ResourceDescriptor.ConfigMaps, TestObjects.ConfigMap("default", "c", new Dictionary<string, string> { ["app"] = "other" }));
        await _client.CreateAsync(ResourceDescriptor.ConfigMaps, TestObjects.ConfigMap("default", "d"));

        async Task<string[]> Names(string selector) =>
            (await _client.ListAsync(ResourceDescriptor.ConfigMaps, "default", new ListOptions { LabelSelector = selector })).Items.Select(i => i.Name()!).Order().ToArray();

        Assert.Equal(["a", "b"], await Names("app=kafka"));
        Assert.Equal(["a", "b"], await Names("app==kafka"));
        Assert.Equal(["c", "d"], await Names("app!=kafka"));
        Assert.Equal(["a"], await Names("app=kafka,tier=broker"));
        Assert.Equal(["a"], await Names("tier in (broker), app in (kafka)"));
        Assert.Equal(["a", "c"], await Names("app in (kafka,other),tier notin (connect)"));
        Assert.Equal(["a", "b", "c"], await Names("app"));
        Assert.Equal(["d"], await Names("!app"));
        Assert.Equal(["c", "d"], await Names("tier notin (broker,connect)"));

        var e = await Assert.ThrowsAsync<KubeApiException>(() => Names("app in kafka"));
        Assert.Equal(400, e.StatusCode);
    }

    [Fact]
    public async Task List_FieldSelectorAndAllNamespaces()
    {
        await _client.CreateAsync(ResourceDescriptor.Namespaces, TestObjects.Namespace("other"));
        await _client.CreateAsync(ResourceDescriptor.ConfigMaps, TestObjects.ConfigMap("default", "x"));
        await _client.CreateAsync(ResourceDescriptor.ConfigMaps, TestObjects.ConfigMap("other", "x"));
        await _client.CreateAsync(ResourceDescriptor.ConfigMaps, TestObjects.ConfigMap("other", "y"));

        var all = await _client.ListAsync(ResourceDescriptor.ConfigMaps, null);
        Assert.Equal(3, all.Items.Count);
        var byName = await _client.ListAsync(ResourceDescriptor.ConfigMaps, null, new ListOptions { FieldSelector = "metadata.name=x" });
        Assert.Equal(["default", "other"], byName.Items.Select(i => i.Namespace()!).Order().ToArray());
        var notDefault = await _client.ListAsync(ResourceDescriptor.ConfigMaps, null, new ListOptions { FieldSelector = "metadata.namespace!=default" });
        Assert.Equal(["x", "y"], notDefault.Items.Select(i => i.Name()!).Order().ToArray());
        Assert.All(all.Items, i => Assert.Equal("ConfigMap", i["kind"]!.GetValue<string>()));
    }

    [Fact]
    public async Task List_PaginatesWithLimitAndContinue()
    {
        for (var i = 0; i < 7; i++)
        {
            await _client.CreateAsync(ResourceDescriptor.ConfigMaps, TestObjects.ConfigMap("default", $"cm-{i}"));
        }
        var names = new List<string>();
        string? cont = null;
        var pages = 0;
        do
        {
            var page = await _client.ListAsync(ResourceDescriptor.ConfigMaps, "default", new ListOptions { Limit = 3, Continue = cont });
            Assert.True(page.Items.Count <= 3);
            Assert.False(string.IsNullOrEmpty(page.ResourceVersion));
            names.AddRange(page.Items.Select(i => i.Name()!));
            cont = page.Continue;
            pages++;
        }
        while (cont is not null);
        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"cm-{i}"), names);
    }

    [Fact]
    public async Task StatusSubresource_SeparatesSpecAndStatus()
    {
        var sts = await _client.CreateAsync(ResourceDescriptor.StatefulSets, TestObjects.StatefulSet("default", "web", 1));
        Assert.Equal(1, sts.Generation());

        // /status writes change status only and never bump generation.
        var withStatus = (JsonObject)sts.DeepClone();
        withStatus["status"] = new JsonObject { ["replicas"] = 5 };
        withStatus["spec"]!["replicas"] = 9;
        var afterStatus = await _client.UpdateStatusAsync(ResourceDescriptor.StatefulSets, withStatus);
        Assert.Equal(5, afterStatus["status"]!["replicas"]!.GetValue<int>());
        Assert.Equal(1, afterStatus["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal(1, afterStatus.Generation());

        // Main-resource writes ignore status; a spec change bumps generation.
        var specChange = (JsonObject)afterStatus.DeepClone();
        specChange["spec"]!["replicas"] = 3;
        specChange["status"] = new JsonObject { ["replicas"] = 42 };
        var afterSpec = await _client.UpdateAsync(ResourceDescriptor.StatefulSets, specChange);
        Assert.Equal(3, afterSpec["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal(5, afterSpec["status"]!["replicas"]!.GetValue<int>());
        Assert.Equal(2, afterSpec.Generation());

        // Metadata-only changes keep the generation.
        var labelChange = (JsonObject)afterSpec.DeepClone();
        labelChange.Metadata()["labels"] = new JsonObject { ["x"] = "y" };
        var afterLabel = await _client.UpdateAsync(ResourceDescriptor.StatefulSets, labelChange);
        Assert.Equal(2, afterLabel.Generation());
        Assert.NotEqual(afterSpec.ResourceVersion(), afterLabel.ResourceVersion());

        // Status patches go through /status too.
        var patched = await _client.PatchAsync(ResourceDescriptor.StatefulSets, "default", "web",
            new JsonObject { ["status"] = new JsonObject { ["readyReplicas"] = 2 } }, PatchType.Merge, "status");
        Assert.Equal(2, patched["status"]!["readyReplicas"]!.GetValue<int>());
        Assert.Equal(5, patched["status"]!["replicas"]!.GetValue<int>());
    }

    [Fact]
    public async Task NoOpUpdate_KeepsResourceVersion()
    {
        var created = await _client.CreateAsync(ResourceDescriptor.ConfigMaps, TestObjects.ConfigMap("default", "same", data: new Dictionary<string, string> { ["k"] = "v" }));
        var again = await _client.UpdateAsync(ResourceDescriptor.ConfigMaps, created);
        Assert.Equal(created.ResourceVersion(), again.ResourceVersion());
    }

    [Fact]
    public async Task MergeAndJsonPatches()
    {
        await _client.CreateAsync(ResourceDescriptor.ConfigMaps, TestObjects.ConfigMap("default", "p", data: new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" }));
        var merged = await _client.PatchAsync(ResourceDescriptor.ConfigMaps, "default", "p",
            new JsonObject { ["data"] = new JsonObject { ["a"] = null, ["c"] = "3" }, ["metadata"] = new JsonObject { ["finalizers"] = new JsonArray("x/y") } });
        Assert.False(merged["data"]!.AsObject().ContainsKey("a"));
        Assert.Equal("3", merged["data"]!["c"]!.GetValue<string>());
        Assert.Equal(["x/y"], merged.Finalizers());

        var strategic = await _client.PatchAsync(ResourceDescriptor.ConfigMaps, "default", "p",
            new JsonObject { ["data"] = new JsonObject { ["d"] = "4" } }, PatchType.StrategicMerge);
        Assert.Equal("4", strategic["data"]!["d"]!.GetValue<string>());

        var jsonPatched = await _client.PatchAsync(ResourceDescriptor.ConfigMaps, "default", "p", new JsonArray(
            new JsonObject { ["op"] = "replace", ["path"] = "/data/b", ["value"] = "20" },
            new JsonObject { ["op"] = "remove", ["path"] = "/metadata/finalizers" }), PatchType.Json);
        Assert.Equal("20", jsonPatched["data"]!["b"]!.GetValue<string>());
        Assert.Empty(jsonPatched.Finalizers());

        var e = await Assert.ThrowsAsync<KubeApiException>(() => _client.PatchAsync(ResourceDescriptor.ConfigMaps, "default", "missing", new JsonObject()));
        Assert.True(e.IsNotFound);
    }

    [Fact]
    public async Task DefaultNamespace_IsUsedWhenObjectHasNone()
    {
        var cm = TestObjects.ConfigMap("default", "implicit");
        cm.Metadata().Remove("namespace");
        var created = await _client.CreateAsync(ResourceDescriptor.ConfigMaps, cm);
        Assert.Equal("default", created.Namespace());
    }

    [Fact]
    public async Task DryRun_IsRefusedInsteadOfPersisted()
    {
        using var http = new HttpClient { BaseAddress = _server.BaseAddress };
        using var body = new StringContent(TestObjects.ConfigMap("default", "dry").ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(new Uri("api/v1/namespaces/default/configmaps?dryRun=All", UriKind.Relative), body);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(await _client.TryGetAsync(ResourceDescriptor.ConfigMaps, "default", "dry"));
    }

    [Fact]
    public async Task UnknownResourcesAndSubresources_AreNotFound()
    {
        var unknown = new ResourceDescriptor("example.com", "v1", "widgets", "Widget", true);
        var e = await Assert.ThrowsAsync<KubeApiException>(() => _client.ListAsync(unknown, "default"));
        Assert.True(e.IsNotFound);
        await _client.CreateAsync(ResourceDescriptor.ConfigMaps, TestObjects.ConfigMap("default", "nostatus"));
        var sub = await Assert.ThrowsAsync<KubeApiException>(() => _client.PatchAsync(ResourceDescriptor.ConfigMaps, "default", "nostatus",
            new JsonObject { ["status"] = new JsonObject() }, PatchType.Merge, "status"));
        Assert.True(sub.IsNotFound);
    }
}
