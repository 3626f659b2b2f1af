using System.Text.Json;
using System.Text.Json.Serialization;
using Tributary.Operator.Api;
using Tributary.Operator.Rendering;
using Tributary.Operator.Validation;
using Xunit;

namespace Tributary.Operator.Tests.Validation;

/// <summary>The ready-to-apply examples deserialize into the API types (no unknown fields) and validate.</summary>
public sealed class ExamplesTests
{
    // Strict: an unknown (misspelt) field in an example fails instead of being silently dropped.
    private static readonly JsonSerializerOptions Strict = new(ApiJson.Options) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };

    private static T Load<T>(string file)
    {
        var json = YamlReader.Read(File.ReadAllText(RepoPaths.Combine("examples", file)))!;
        return json.Deserialize<T>(Strict)!;
    }

    [Fact]
    public void KafkaClusterExample()
    {
        var cluster = Load<KafkaCluster>("kafkacluster-3az.yaml");
        Assert.Equal(3, cluster.Spec.Brokers);
        Assert.Equal(["eu-west-1a", "eu-west-1b", "eu-west-1c"], cluster.Spec.Zones);
        Assert.Equal(ListenerAuthentication.ScramSha512, cluster.Spec.Listeners[1].Authentication);
        Assert.Equal("1", cluster.Spec.Resources!.Requests!["cpu"].Value);
        Assert.Empty(KafkaClusterValidator.Validate(cluster));

        cluster.Metadata.Uid = "00000000-0000-4000-8000-000000000000";
        var render = KafkaClusterRenderer.Render(Samples.Input(cluster));
        Assert.Equal(3, render.Objects.Count(o => o["kind"]!.GetValue<string>() == "StatefulSet"));
    }

    [Fact]
    public void TopicExample()
    {
        var topic = Load<Topic>("topic.yaml");
        Assert.Equal("Orders_Events", TopicValidator.KafkaTopicName(topic));
        Assert.Equal(DeletionPolicy.Retain, topic.Spec.DeletionPolicy);
        Assert.Empty(TopicValidator.Validate(topic, clusterBrokers: 3));
    }

    [Fact]
    public void ConnectorExample()
    {
        var connector = Load<Connector>("connector.yaml");
        Assert.Equal(2, connector.Spec.TasksMax);
        Assert.Empty(ConnectorValidator.Validate(connector));
    }

    [Fact]
    public void ReplicatorExample()
    {
        var replicator = Load<Replicator>("replicator.yaml");
        Assert.Equal(".*\\.internal", replicator.Spec.Topics!.Exclude![0]);
        Assert.Empty(ReplicatorValidator.Validate(replicator));
    }

    [Fact]
    public void MisspeltFieldsAreCaught()
    {
        var json = YamlReader.Read("apiVersion: kafka.tributary.dev/v1alpha1\nkind: Topic\nmetadata: {name: t}\nspec: {clusterRef: {name: c}, partitons: 3}\n")!;
        Assert.Throws<JsonException>(() => json.Deserialize<Topic>(Strict));
    }
}
