using Tributary.Operator.Api;
using Tributary.Operator.Rendering;
using Xunit;

namespace Tributary.Operator.Tests.Rendering;

/// <summary>Every renderer's output for representative clusters, compared with checked-in YAML.</summary>
public sealed class KafkaClusterGoldenTests
{
    [Fact]
    public void ThreeZoneClusterRendersEveryObject()
    {
        var render = KafkaClusterRenderer.Render(Samples.Input(Samples.Cluster()));
        Golden.Verify("kafkacluster-3az.yaml", YamlWriter.WriteAll(render.Objects));
    }

    [Fact]
    public void DedicatedControllersExternalListenersAndOverrides()
    {
        var cluster = Samples.Cluster(spec =>
        {
            spec.Brokers = 4;
            spec.Controllers = new ControllersSpec { Mode = ControllerMode.Dedicated, Replicas = 3 };
            spec.Listeners =
            [
                new ListenerSpec { Name = "plain", Port = 9092 },
                new ListenerSpec { Name = "tls", Port = 9093, Tls = true, Authentication = ListenerAuthentication.ScramSha512 },
                new ListenerSpec { Name = "external", Port = 9094, Type = ListenerType.LoadBalancer, Tls = true, Authentication = ListenerAuthentication.Mtls },
            ];
            spec.Template = new TemplateSpec
            {
                Pod = new PodTemplateOverrides
                {
                    Tolerations = [new Toleration { Key = "dedicated", Operator = "Equal", Value = "kafka", Effect = "NoSchedule" }],
                    Affinity = Samples.Affinity(),
                    Labels = new Dictionary<string, string> { ["team"] = "payments", ["app.kubernetes.io/name"] = "ignored" },
                    Annotations = new Dictionary<string, string> { ["prometheus.io/scrape"] = "true" },
                    PriorityClassName = "kafka-critical",
                },
            };
        });
        var input = Samples.Input(cluster) with
        {
            ExternalAddresses = new Dictionary<BrokerListenerKey, HostPort>
            {
                [new BrokerListenerKey("external", 0)] = new HostPort("a1.elb.example.com", 9094),
            },
        };
        var render = KafkaClusterRenderer.Render(input);
        Golden.Verify("kafkacluster-dedicated-external.yaml", YamlWriter.WriteAll(render.Objects));
    }

    [Fact]
    public void UnzonedSingleBrokerDevCluster()
    {
        var cluster = Samples.Cluster(spec =>
        {
            spec.Brokers = 1;
            spec.Zones = null;
            spec.Config = null;
            spec.Resources = null;
            spec.Storage = new StorageSpec { Size = "1Gi", DeleteClaim = true };
            spec.Listeners = [new ListenerSpec { Name = "plain", Port = 9092, Type = ListenerType.NodePort }];
            spec.Image = "localhost:5000/tributary:dev";
        });
        var render = KafkaClusterRenderer.Render(Samples.Input(cluster, ZonePlanner.Resolve(null, [], null)));
        Golden.Verify("kafkacluster-unzoned-dev.yaml", YamlWriter.WriteAll(render.Objects));
    }

    [Fact]
    public void EachRendererHasItsOwnGoldenFile()
    {
        var input = Samples.Input(Samples.Cluster());
        var layout = ClusterLayout.Compute(input.Name, input.Cluster.Spec, input.Zones);
        var plan = ClusterConfigPlanner.Plan(input, layout);
        Golden.Verify("configmap.yaml", YamlWriter.Write(ConfigMapRenderer.Render(input, plan)));
        Golden.Verify("statefulset-zone-b.yaml", YamlWriter.Write(StatefulSetRenderer.RenderBrokers(input, layout, 1, plan)));
        Golden.Verify("services.yaml", YamlWriter.WriteAll([ServiceRenderer.RenderHeadless(input), ServiceRenderer.RenderBootstrap(input)]));
        Golden.Verify("pdb.yaml", YamlWriter.Write(PodDisruptionBudgetRenderer.Render(input)));
        Golden.Verify("rbac.yaml", YamlWriter.WriteAll(RbacRenderer.Render(input)));
    }

    [Fact]
    public void RenderingIsDeterministic()
    {
        var first = YamlWriter.WriteAll(KafkaClusterRenderer.Render(Samples.Input(Samples.Cluster())).Objects);
        var second = YamlWriter.WriteAll(KafkaClusterRenderer.Render(Samples.Input(Samples.Cluster())).Objects);
        Assert.Equal(first, second);
    }
}
