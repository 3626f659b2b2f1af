using System.Text.Json.Nodes;
using Tributary.FakeKube;

namespace Tributary.Kube.Tests;

public sealed class CustomResourceTests
{
    private static readonly ResourceDescriptor Topics = new("tributary.io", "v1alpha1", "kafkatopics", "KafkaTopic", true);

    private static JsonObject Crd(bool statusSubresource) => JsonNode.Parse("""
        {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
         "metadata":{"name":"kafkatopics.tributary.io"},
         "spec":{"group":"tributary.io","scope":"Namespaced",
           "names":{"plural":"kafkatopics","singular":"kafkatopic","kind":"KafkaTopic"},
           "versions":[{"name":"v1alpha1","served":true,"storage":true,
             SUBRESOURCES
             "schema":{"openAPIV3Schema":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}}]}}
        """.Replace("SUBRESOURCES", statusSubresource ? "\"subresources\":{\"status\":{}}," : "", StringComparison.Ordinal))!.AsObject();

    private static JsonObject Topic(string name, int partitions) => new()
    {
        ["apiVersion"] = "tributary.io/v1alpha1",
        ["kind"] = "KafkaTopic",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default" },
        ["spec"] = new JsonObject { ["partitions"] = partitions },
    };

    [Fact]
    public async Task CreatingACrd_ServesTheCustomResourceWithStatusSubresource()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        await Assert.ThrowsAsync<KubeApiException>(() => client.ListAsync(Topics, "default"));

        var crd = await client.CreateAsync(ResourceDescriptor.CustomResourceDefinitions, Crd(statusSubresource: true));
        var established = await client.GetAsync(ResourceDescriptor.CustomResourceDefinitions, null, crd.Name()!);
        Assert.Contains(established["status"]!["conditions"]!.AsArray(), c => c!["type"]!.GetValue<string>() == "Established");

        var topic = await client.CreateAsync(Topics, Topic("orders", 6));
        Assert.Equal(1, topic.Generation());
        topic["status"] = new JsonObject
        {
            ["observedGeneration"] = 1,
            ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "True", ["reason"] = "Created" }),
        };
        var withStatus = await client.UpdateStatusAsync(Topics, topic);
        Assert.Equal(1, withStatus["status"]!["observedGeneration"].AsInt64());
        Assert.Equal(1, withStatus.Generation());

        withStatus["spec"]!["partitions"] = 12;
        withStatus["status"] = new JsonObject();
        var updated = await client.UpdateAsync(Topics, withStatus);
        Assert.Equal(2, updated.Generation());
        Assert.Equal(1, updated["status"]!["observedGeneration"].AsInt64());

        await client.DeleteAsync(ResourceDescriptor.CustomResourceDefinitions, null, crd.Name()!);
        var gone = await Assert.ThrowsAsync<KubeApiException>(() => client.GetAsync(Topics, "default", "orders"));
        Assert.True(gone.IsNotFound);
    }

    [Fact]
    public async Task WithoutStatusSubresource_StatusIsPartOfTheMainResource()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        await client.CreateAsync(ResourceDescriptor.CustomResourceDefinitions, Crd(statusSubresource: false));
        var topic = Topic("logs", 1);
        topic["status"] = new JsonObject { ["phase"] = "New" };
        var created = await client.CreateAsync(Topics, topic);
        Assert.Equal("New", created["status"]!["phase"]!.GetValue<string>());
        var e = await Assert.ThrowsAsync<KubeApiException>(() => client.UpdateStatusAsync(Topics, created));
        Assert.True(e.IsNotFound);
    }
}
