using System.Text.Json.Nodes;
using Xunit;

namespace Tributary.Operator.Tests.Chart;

/// <summary>charts/tributary-operator lints, renders the expected objects and enforces its values schema.</summary>
public sealed class HelmChartTests
{
    private const string ChartDir = "charts/tributary-operator";

    private static List<JsonObject> Template(params string[] extra)
    {
        var (code, output) = HelmTool.Run(["template", "tributary", ChartDir, "--namespace", "tributary-system", "--include-crds", .. extra]);
        Assert.True(code == 0, output);
        return YamlReader.ReadAll(output).OfType<JsonObject>().ToList();
    }

    private static JsonObject Single(List<JsonObject> objects, string kind) =>
        Assert.Single(objects, o => o["kind"]?.GetValue<string>() == kind);

    [HelmFact]
    public void ChartLints()
    {
        var (code, output) = HelmTool.Run("lint", ChartDir, "--strict");
        Assert.True(code == 0, output);
        Assert.Contains("0 chart(s) failed", output, StringComparison.Ordinal);
    }

    [HelmFact]
    public void TemplateRendersTheExpectedKinds()
    {
        var kinds = Template().Select(o => o["kind"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(
            ["ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "CustomResourceDefinition", "CustomResourceDefinition",
             "CustomResourceDefinition", "Deployment", "Role", "RoleBinding", "Service", "ServiceAccount"],
            kinds);
    }

    [HelmFact]
    public void DeploymentRunsTwoHardenedReplicasWithProbes()
    {
        var deployment = Single(Template(), "Deployment");
        Assert.Equal(2, deployment["spec"]!["replicas"]!.GetValue<long>());
        var pod = deployment["spec"]!["template"]!["spec"]!;
        Assert.True(pod["securityContext"]!["runAsNonRoot"]!.GetValue<bool>());
        var container = pod["containers"]![0]!;
        Assert.Equal("/healthz", container["livenessProbe"]!["httpGet"]!["path"]!.GetValue<string>());
        Assert.Equal("/readyz", container["readinessProbe"]!["httpGet"]!["path"]!.GetValue<string>());
        Assert.True(container["securityContext"]!["readOnlyRootFilesystem"]!.GetValue<bool>());
        Assert.Equal(["ALL"], container["securityContext"]!["capabilities"]!["drop"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Contains(container["ports"]!.AsArray(), p => p!["name"]!.GetValue<string>() == "metrics");
        Assert.Contains(container["env"]!.AsArray(), e => e!["name"]!.GetValue<string>() == "TRIBUTARY_LEADER_ELECTION" && e["value"]!.GetValue<string>() == "true");
    }

    [HelmFact]
    public void RbacIsLeastPrivilege()
    {
        var objects = Template();
        var rules = Single(objects, "ClusterRole")["rules"]!.AsArray();
        var grants = rules.SelectMany(r => r!["apiGroups"]!.AsArray().SelectMany(g => r["resources"]!.AsArray().Select(res =>
            (Group: g!.GetValue<string>(), Resource: res!.GetValue<string>(), Verbs: r["verbs"]!.AsArray().Select(v => v!.GetValue<string>()).ToHashSet())))).ToList();
        Assert.DoesNotContain(grants, g => g.Resource == "*" || g.Group == "*" || g.Verbs.Contains("*"));
        Assert.DoesNotContain(grants, g => g.Resource == "secrets");

        HashSet<string> Verbs(string group, string resource) => Assert.Single(grants, g => g.Group == group && g.Resource == resource).Verbs;
        foreach (var kind in new[] { "kafkaclusters", "topics", "connectors", "replicators" })
        {
            Assert.Equal(["get", "list", "watch", "patch", "update"], Verbs("kafka.tributary.dev", kind));
            Assert.Equal(["get", "patch", "update"], Verbs("kafka.tributary.dev", kind + "/status"));
            Assert.Equal(["update"], Verbs("kafka.tributary.dev", kind + "/finalizers"));
        }

        Assert.Equal(["get", "list", "watch", "delete"], Verbs("", "pods"));
        Assert.Equal(["get", "list", "watch", "create", "delete"], Verbs("", "persistentvolumeclaims"));
        Assert.Equal(["get", "list", "watch"], Verbs("", "nodes"));
        Assert.Equal(["create", "patch"], Verbs("", "events"));
        Assert.Equal(["get", "list", "watch", "create", "patch", "delete"], Verbs("apps", "statefulsets"));
        Assert.Equal(["get", "list", "watch", "create", "patch", "delete"], Verbs("policy", "poddisruptionbudgets"));

        var leaseRole = Single(objects, "Role");
        Assert.Equal("tributary-system", leaseRole["metadata"]!["namespace"]!.GetValue<string>());
        var leaseRule = Assert.Single(leaseRole["rules"]!.AsArray())!;
        Assert.Equal(["leases"], leaseRule["resources"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(["get", "create", "update"], leaseRule["verbs"]!.AsArray().Select(n => n!.GetValue<string>()));
    }

    [HelmFact]
    public void ChartCrdsAreTheGeneratedOnes()
    {
        var crds = Template().Where(o => o["kind"]!.GetValue<string>() == "CustomResourceDefinition").ToList();
        foreach (var type in Tributary.Operator.Crds.CrdCatalog.ResourceTypes)
        {
            var generated = Tributary.Operator.Crds.CrdGenerator.Generate(type);
            Assert.Contains(crds, c => JsonNode.DeepEquals(c, generated));
        }
    }

    [HelmFact]
    public void ValuesSchemaRejectsBadValues()
    {
        var (code, output) = HelmTool.Run("template", "tributary", ChartDir, "--set", "replicaCount=0");
        Assert.NotEqual(0, code);
        Assert.Contains("replicaCount", output, StringComparison.Ordinal);
        (code, output) = HelmTool.Run("template", "tributary", ChartDir, "--set", "unknownKey=1");
        Assert.NotEqual(0, code);
    }

    [HelmFact]
    public void LeaderElectionAndMetricsServiceCanBeTurnedOff()
    {
        var kinds = Template("--set", "leaderElection.enabled=false", "--set", "metrics.service.enabled=false")
            .Select(o => o["kind"]!.GetValue<string>()).ToList();
        Assert.DoesNotContain("Role", kinds);
        Assert.DoesNotContain("Service", kinds);
        Assert.Contains("Deployment", kinds);
    }
}
