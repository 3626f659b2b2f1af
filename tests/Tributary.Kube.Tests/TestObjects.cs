using System.Text.Json.Nodes;

namespace Tributary.Kube.Tests;

/// <summary>Small builders for test objects.</summary>
internal static class TestObjects
{
    public static JsonObject ConfigMap(string ns, string name, IDictionary<string, string>? labels = null, IDictionary<string, string>? data = null)
    {
        var meta = new JsonObject { ["name"] = name, ["namespace"] = ns };
        if (labels is not null)
        {
            meta["labels"] = ToObject(labels);
        }
        var cm = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = meta };
        if (data is not null)
        {
            cm["data"] = ToObject(data);
        }
        return cm;
    }

    public static JsonObject Namespace(string name) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Namespace",
        ["metadata"] = new JsonObject { ["name"] = name },
    };

    public static JsonObject StatefulSet(string ns, string name, int replicas, string image = "busybox:1") => JsonNode.Parse($$"""
        {
          "apiVersion": "apps/v1", "kind": "StatefulSet",
          "metadata": { "name": "{{name}}", "namespace": "{{ns}}" },
          "spec": {
            "replicas": {{replicas}},
            "serviceName": "{{name}}",
            "selector": { "matchLabels": { "app": "{{name}}" } },
            "template": {
              "metadata": { "labels": { "app": "{{name}}" } },
              "spec": { "containers": [ { "name": "main", "image": "{{image}}" } ] }
            },
            "volumeClaimTemplates": [
              { "metadata": { "name": "data" }, "spec": { "accessModes": ["ReadWriteOnce"], "resources": { "requests": { "storage": "1Gi" } } } }
            ]
          }
        }
        """)!.AsObject();

    public static JsonObject OwnerReference(JsonObject owner, bool controller = true) => new()
    {
        ["apiVersion"] = owner["apiVersion"]?.GetValue<string>(),
        ["kind"] = owner["kind"]?.GetValue<string>(),
        ["name"] = owner.Name(),
        ["uid"] = owner.Uid(),
        ["controller"] = controller,
    };

    public static JsonObject ToObject(IDictionary<string, string> values)
    {
        var o = new JsonObject();
        foreach (var (k, v) in values)
        {
            o[k] = v;
        }
        return o;
    }

    /// <summary>Polls until the condition holds (for effects of background loops); fails after the timeout.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what, int timeoutMs = 10000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return;
            }
            await Task.Delay(20);
        }
        Assert.Fail("Timed out waiting for: " + what);
    }
}
