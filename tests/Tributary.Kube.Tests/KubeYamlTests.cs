using System.Text.Json;

namespace Tributary.Kube.Tests;

public sealed class KubeYamlTests
{
    [Fact]
    public void ScalarsAreTypedLikeKubernetes()
    {
        var obj = KubeYaml.ParseObject("""
            int: 3
            neg: -7
            float: 1.5
            bool: true
            nothing: null
            tilde: ~
            quoted: "3"
            single: 'true'
            text: hello world
            version: 1.2.3
            inf: .inf
            list: [a, 2]
            """);
        Assert.Equal(JsonValueKind.Number, obj["int"]!.GetValueKind());
        Assert.Equal(-7, obj["neg"].AsInt64());
        Assert.Equal(1.5, obj["float"]!.GetValue<double>());
        Assert.True(obj["bool"]!.GetValue<bool>());
        Assert.Null(obj["nothing"]);
        Assert.True(obj.ContainsKey("tilde"));
        Assert.Equal("3", obj["quoted"]!.GetValue<string>());
        Assert.Equal("true", obj["single"]!.GetValue<string>());
        Assert.Equal("hello world", obj["text"]!.GetValue<string>());
        Assert.Equal("1.2.3", obj["version"]!.GetValue<string>());
        Assert.Equal(".inf", obj["inf"]!.GetValue<string>());
        Assert.Equal(2, obj["list"]![1].AsInt64());
    }

    [Fact]
    public void MultiDocumentStreams_SkipEmptyDocuments()
    {
        var docs = KubeYaml.ParseDocuments("a: 1\n---\n---\nb: 2\n");
        Assert.Equal(2, docs.Count);
        Assert.Throws<FormatException>(() => KubeYaml.ParseObject("a: 1\n---\nb: 2\n"));
        Assert.Throws<FormatException>(() => KubeYaml.ParseObject("- just\n- a list\n"));
    }

    [Fact]
    public void ResourcePaths()
    {
        Assert.Equal("/api/v1/namespaces/ns/pods/p/status", ResourceDescriptor.Pods.ObjectPath("ns", "p", "status"));
        Assert.Equal("/api/v1/pods", ResourceDescriptor.Pods.CollectionPath(null));
        Assert.Equal("/apis/apps/v1/namespaces/a%20b/statefulsets", ResourceDescriptor.StatefulSets.CollectionPath("a b"));
        Assert.Equal("/api/v1/nodes/n1", ResourceDescriptor.Nodes.ObjectPath("ignored", "n1"));
        Assert.Equal("coordination.k8s.io/v1", ResourceDescriptor.Leases.ApiVersion);
        Assert.Throws<ArgumentException>(() => ResourceDescriptor.Pods.ObjectPath(null, "p"));
    }

    private sealed record Spec(int Replicas, string? Image, DeletePropagation Policy);

    [Fact]
    public void TypedConversion_UsesCamelCase()
    {
        var node = KubeJson.ToJsonObject(new Spec(3, null, DeletePropagation.Foreground));
        Assert.Equal("""{"replicas":3,"policy":"foreground"}""", node.ToJsonString());
        var back = KubeJson.ParseObject("""{"replicas":5,"image":"x","policy":"orphan"}""").To<Spec>();
        Assert.Equal(new Spec(5, "x", DeletePropagation.Orphan), back);
    }
}
