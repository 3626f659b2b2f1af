using System.Text.Json.Nodes;
using Tributary.FakeKube;

namespace Tributary.Kube.Tests;

public sealed class DeletionTests : IAsyncLifetime
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
    public async Task Finalizers_HoldObjectUntilRemoved()
    {
        var cm = TestObjects.ConfigMap("default", "held");
        cm.Metadata()["finalizers"] = new JsonArray("tributary.io/cleanup");
        await _client.CreateAsync(ResourceDescriptor.ConfigMaps, cm);

        var pending = await _client.DeleteAsync(ResourceDescriptor.ConfigMaps, "default", "held");
        Assert.NotNull(pending);
        Assert.True(pending!.IsDeleting());
        var stillThere = await _client.GetAsync(ResourceDescriptor.ConfigMaps, "default", "held");
        Assert.True(stillThere.IsDeleting());

        // New finalizers cannot be added while deleting.
        var adding = (JsonObject)stillThere.DeepClone();
        adding.Metadata()["finalizers"] = new JsonArray("tributary.io/cleanup", "other/one");
        var invalid = await Assert.ThrowsAsync<KubeApiException>(() => _client.UpdateAsync(ResourceDescriptor.ConfigMaps, adding));
        Assert.True(invalid.IsInvalid);

        await _client.PatchAsync(ResourceDescriptor.ConfigMaps, "default", "held", new JsonObject { ["metadata"] = new JsonObject { ["finalizers"] = null } });
        Assert.Null(await _client.TryGetAsync(ResourceDescriptor.ConfigMaps, "default", "held"));
    }

    [Fact]
    public async Task OwnerDeletion_GarbageCollectsDependents()
    {
        var owner = await _client.CreateAsync(ResourceDescriptor.ConfigMaps, TestObjects.ConfigMap("default", "owner"));
        var other = await _client.CreateAsync(ResourceDescriptor.ConfigMaps, TestObjects.ConfigMap("default", "other-owner"));
        var dep = TestObjects.ConfigMap("default", "dep");
        dep.Metadata()["ownerReferences"] = new JsonArray(TestObjects.OwnerReference(owner));
        await _client.CreateAsync(ResourceDescriptor.ConfigMaps, dep);
        var shared = TestObjects.ConfigMap("default", "shared");
        shared.Metadata()["ownerReferences"] = new JsonArray(TestObjects.OwnerReference(owner, false), TestObjects.OwnerReference(other, false));
        await _client.CreateAsync(ResourceDescriptor.ConfigMaps, shared);
        var grandchild = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject { ["name"] = "gc", ["namespace"] = "default", ["ownerReferences"] = new JsonArray(TestObjects.OwnerReference(
                await _client.GetAsync(ResourceDescriptor.ConfigMaps, "default", "dep"))) },
        };
        await _client.CreateAsync(ResourceDescriptor.Secrets, grandchild);

        await _client.DeleteAsync(ResourceDescriptor.ConfigMaps, "default", "owner", new DeleteOptions { PropagationPolicy = DeletePropagation.Background });

        Assert.Null(await _client.TryGetAsync(ResourceDescriptor.ConfigMaps, "default", "dep"));
        Assert.Null(await _client.TryGetAsync(ResourceDescriptor.Secrets, "default", "gc"));
        // A dependent with another live owner survives, minus the dangling reference.
        var survivor = await _client.GetAsync(ResourceDescriptor.ConfigMaps, "default", "shared");
        Assert.Equal("other-owner", Assert.Single(survivor["metadata"]!["ownerReferences"]!.AsArray())!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task OrphanPropagation_KeepsDependents()
    {
        var owner = await _client.CreateAsync(ResourceDescriptor.ConfigMaps, TestObjects.ConfigMap("default", "owner"));
        var dep = TestObjects.ConfigMap("default", "dep");
        dep.Metadata()["ownerReferences"] = new JsonArray(TestObjects.OwnerReference(owner));
        await _client.CreateAsync(ResourceDescriptor.ConfigMaps, dep);

        await _client.DeleteAsync(ResourceDescriptor.ConfigMaps, "default", "owner", new DeleteOptions { PropagationPolicy = DeletePropagation.Orphan });

        var orphan = await _client.GetAsync(ResourceDescriptor.ConfigMaps, "default", "dep");
        Assert.Null(orphan["metadata"]!["ownerReferences"]);
    }

    [Fact]
    public async Task ForegroundPropagation_WaitsForDependentFinalizers()
    {
        var owner = await _client.CreateAsync(ResourceDescriptor.ConfigMaps, TestObjects.ConfigMap("default", "owner"));
        var dep = TestObjects.ConfigMap("default", "dep");
        dep.Metadata()["ownerReferences"] = new JsonArray(TestObjects.OwnerReference(owner));
        dep.Metadata()["finalizers"] = new JsonArray("hold/on");
        await _client.CreateAsync(ResourceDescriptor.ConfigMaps, dep);

        var pending = await _client.DeleteAsync(ResourceDescriptor.ConfigMaps, "default", "owner", new DeleteOptions { PropagationPolicy = DeletePropagation.Foreground });
        Assert.NotNull(pending);
        Assert.Contains("foregroundDeletion", pending!.Finalizers());
        Assert.True((await _client.GetAsync(ResourceDescriptor.ConfigMaps, "default", "dep")).IsDeleting());

        await _client.PatchAsync(ResourceDescriptor.ConfigMaps, "default", "dep", new JsonObject { ["metadata"] = new JsonObject { ["finalizers"] = null } });
        Assert.Null(await _client.TryGetAsync(ResourceDescriptor.ConfigMaps, "default", "dep"));
        Assert.Null(await _client.TryGetAsync(ResourceDescriptor.ConfigMaps, "default", "owner"));
    }

    [Fact]
    public async Task Preconditions_AreChecked()
    {
        var cm = await _client.CreateAsync(ResourceDescriptor.ConfigMaps, TestObjects.ConfigMap("default", "pre"));
        var wrongUid = await Assert.ThrowsAsync<KubeApiException>(() =>
            _client.DeleteAsync(ResourceDescriptor.ConfigMaps, "default", "pre", new DeleteOptions { PreconditionUid = Guid.NewGuid().ToString() }));
        Assert.True(wrongUid.IsConflict);
        var wrongRv = await Assert.ThrowsAsync<KubeApiException>(() =>
            _client.DeleteAsync(ResourceDescriptor.ConfigMaps, "default", "pre", new DeleteOptions { PreconditionResourceVersion = "1" }));
        Assert.True(wrongRv.IsConflict);
        await _client.DeleteAsync(ResourceDescriptor.ConfigMaps, "default", "pre",
            new DeleteOptions { PreconditionUid = cm.Uid(), PreconditionResourceVersion = cm.ResourceVersion() });
        Assert.Null(await _client.TryGetAsync(ResourceDescriptor.ConfigMaps, "default", "pre"));
    }

    [Fact]
    public async Task NamespaceDeletion_RemovesContentsThenNamespace()
    {
        await _client.CreateAsync(ResourceDescriptor.Namespaces, TestObjects.Namespace("team"));
        await _client.CreateAsync(ResourceDescriptor.ConfigMaps, TestObjects.ConfigMap("team", "a"));
        var held = TestObjects.ConfigMap("team", "held");
        held.Metadata()["finalizers"] = new JsonArray("hold/on");
        await _client.CreateAsync(ResourceDescriptor.ConfigMaps, held);

        await _client.DeleteAsync(ResourceDescriptor.Namespaces, null, "team");
        var ns = await _client.GetAsync(ResourceDescriptor.Namespaces, null, "team");
        Assert.Equal("Terminating", ns["status"]!["phase"]!.GetValue<string>());
        Assert.Null(await _client.TryGetAsync(ResourceDescriptor.ConfigMaps, "team", "a"));
        var forbidden = await Assert.ThrowsAsync<KubeApiException>(() => _client.CreateAsync(ResourceDescriptor.ConfigMaps, TestObjects.ConfigMap("team", "late")));
        Assert.Equal(403, forbidden.StatusCode);

        await _client.PatchAsync(ResourceDescriptor.ConfigMaps, "team", "held", new JsonObject { ["metadata"] = new JsonObject { ["finalizers"] = null } });
        Assert.Null(await _client.TryGetAsync(ResourceDescriptor.Namespaces, null, "team"));
    }
}
