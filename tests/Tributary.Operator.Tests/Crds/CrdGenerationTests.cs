using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tributary.Operator.Api;
using Tributary.Operator.Crds;
using Xunit;

namespace Tributary.Operator.Tests.Crds;

/// <summary>The CRDs generated from the C# types, and the checked-in copies of them.</summary>
public sealed class CrdGenerationTests
{
    public static TheoryData<string> OutputDirectories => new() { "crds", Path.Combine("charts", "tributary-operator", "crds") };

    [Theory]
    [MemberData(nameof(OutputDirectories))]
    public void CheckedInCrdsAreUpToDate(string directory)
    {
        foreach (var (name, yaml) in CrdCatalog.RenderAll())
        {
            var path = RepoPaths.Combine(directory, name);
            Assert.True(File.Exists(path), $"{path} is missing: run `make crds`");
            Assert.True(File.ReadAllText(path) == yaml, $"{path} is stale: run `make crds` and commit the result");
        }

        var extra = Directory.EnumerateFiles(RepoPaths.Combine(directory), KafkaApi.Group + "_*.yaml")
            .Select(Path.GetFileName)
            .Except(CrdCatalog.RenderAll().Select(f => f.Key));
        Assert.Empty(extra);
    }

    [Fact]
    public void YamlParsesBackToTheGeneratedObject()
    {
        foreach (var type in CrdCatalog.ResourceTypes)
        {
            var crd = CrdGenerator.Generate(type);
            var parsed = YamlReader.Read(Tributary.Operator.Rendering.YamlWriter.Write(crd));
            Assert.True(JsonNode.DeepEquals(crd, parsed), $"{type.Name}: YAML does not round-trip");
        }
    }

    [Fact]
    public void NoNullsOrEmptyValuesThatWouldShowAsDrift()
    {
        foreach (var type in CrdCatalog.ResourceTypes)
        {
            var crd = CrdGenerator.Generate(type);
            Assert.Null(crd["status"]);
            Walk(crd, "$", (path, node) =>
            {
                Assert.False(node is null, $"{type.Name}: null at {path}");
                var emptyAllowed = path.EndsWith(".subresources.status", StringComparison.Ordinal);
                Assert.False(node is JsonObject { Count: 0 } && !emptyAllowed, $"{type.Name}: empty object at {path}");
                Assert.False(node is JsonArray { Count: 0 }, $"{type.Name}: empty array at {path}");
            });
        }
    }

    [Theory]
    [InlineData(typeof(KafkaCluster), "kafkaclusters.kafka.tributary.dev", "kc")]
    [InlineData(typeof(Topic), "topics.kafka.tributary.dev", "kt")]
    [InlineData(typeof(Connector), "connectors.kafka.tributary.dev", "kctr")]
    [InlineData(typeof(Replicator), "replicators.kafka.tributary.dev", "krep")]
    public void NamesSubresourcesAndColumns(Type type, string name, string shortName)
    {
        var crd = CrdGenerator.Generate(type);
        Assert.Equal(name, crd["metadata"]!["name"]!.GetValue<string>());
        var spec = crd["spec"]!;
        Assert.Equal("Namespaced", spec["scope"]!.GetValue<string>());
        Assert.Equal([shortName], spec["names"]!["shortNames"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(["tributary"], spec["names"]!["categories"]!.AsArray().Select(n => n!.GetValue<string>()));
        var version = spec["versions"]![0]!;
        Assert.Equal("v1alpha1", version["name"]!.GetValue<string>());
        Assert.NotNull(version["subresources"]!["status"]);
        var columns = version["additionalPrinterColumns"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()).ToList();
        Assert.Contains("Ready", columns);
        Assert.Contains("Age", columns);
        var status = version["schema"]!["openAPIV3Schema"]!["properties"]!["status"]!["properties"]!;
        Assert.Equal("map", status["conditions"]!["x-kubernetes-list-type"]!.GetValue<string>());
        Assert.NotNull(status["observedGeneration"]);
    }

    [Fact]
    public void KafkaClusterSchemaCarriesValidationRules()
    {
        var spec = Spec(typeof(KafkaCluster));
        Assert.Equal(1, spec["properties"]!["brokers"]!["minimum"]!.GetValue<long>());
        Assert.Equal(3, spec["properties"]!["brokers"]!["default"]!.GetValue<int>());
        Assert.Equal(["storage"], spec["required"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal("oldSelf.all(z, z in self)", Rule(spec["properties"]!["zones"]!));
        var storage = spec["properties"]!["storage"]!["properties"]!;
        Assert.Equal("self == oldSelf", Rule(storage["storageClassName"]!));
        Assert.True(storage["size"]!["x-kubernetes-int-or-string"]!.GetValue<bool>());
        var listener = spec["properties"]!["listeners"]!["items"]!["properties"]!;
        Assert.Equal(["none", "scram-sha-512", "mtls"], listener["authentication"]!["enum"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(["internal", "loadbalancer", "nodeport"], listener["type"]!["enum"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal("string", spec["properties"]!["config"]!["additionalProperties"]!["type"]!.GetValue<string>());
        var affinity = spec["properties"]!["template"]!["properties"]!["pod"]!["properties"]!["affinity"]!;
        Assert.True(affinity["x-kubernetes-preserve-unknown-fields"]!.GetValue<bool>());
        Assert.Equal("self.replicas % 2 == 1", Rule(spec["properties"]!["controllers"]!));
    }

    [Fact]
    public void TopicSchemaMakesOnlyIdentityImmutable()
    {
        var spec = Spec(typeof(Topic));
        Assert.Equal("self == oldSelf", Rule(spec["properties"]!["clusterRef"]!));
        Assert.Contains("self == oldSelf", Rules(spec["properties"]!["topicName"]!));
        // Partition decreases and RF changes are reported by the controller (Stalled), not refused by CEL.
        Assert.Null(spec["properties"]!["partitions"]!["x-kubernetes-validations"]);
        Assert.Null(spec["properties"]!["replicationFactor"]!["x-kubernetes-validations"]);
    }

    [Fact]
    public void SchemaDefaultsMatchCSharpInitialisers()
    {
        var checkedCount = 0;
        foreach (var type in typeof(KafkaApi).Assembly.GetTypes().Where(t => t.Namespace == typeof(KafkaApi).Namespace && t.IsClass && !t.IsAbstract))
        {
            foreach (var property in SchemaGenerator.SchemaProperties(type))
            {
                var scalar = property.GetCustomAttribute<SchemaDefaultAttribute>();
                var json = property.GetCustomAttribute<SchemaDefaultJsonAttribute>();
                if (scalar is null && json is null)
                {
                    continue;
                }

                var instance = Activator.CreateInstance(type)!;
                var actual = JsonSerializer.SerializeToNode(property.GetValue(instance), property.PropertyType, ApiJson.Options);
                var expected = json is not null ? JsonNode.Parse(json.Json) : JsonValue.Create(scalar!.Value is Enum e ? e.ToString() : scalar.Value);
                Assert.True(JsonNode.DeepEquals(expected, actual), $"{type.Name}.{property.Name}: schema default {expected?.ToJsonString()} but C# default {actual?.ToJsonString()}");
                checkedCount++;
            }
        }

        Assert.True(checkedCount >= 15, $"only {checkedCount} defaults checked");
    }

    private static JsonNode Spec(Type type) =>
        CrdGenerator.Generate(type)["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!["properties"]!["spec"]!;

    private static string Rule(JsonNode node) => Rules(node).Single();

    private static IEnumerable<string> Rules(JsonNode node) =>
        node["x-kubernetes-validations"]!.AsArray().Select(r => r!["rule"]!.GetValue<string>());

    private static void Walk(JsonNode? node, string path, Action<string, JsonNode?> visit)
    {
        visit(path, node);
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o)
                {
                    Walk(value, path + "." + key, visit);
                }

                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    Walk(a[i], $"{path}[{i}]", visit);
                }

                break;
        }
    }
}
