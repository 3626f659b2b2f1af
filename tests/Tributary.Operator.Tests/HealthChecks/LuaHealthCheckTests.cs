using System.Diagnostics;
using System.Text.Json.Nodes;
using Xunit;

namespace Tributary.Operator.Tests.HealthChecks;

/// <summary>
/// Runs the Argo CD health checks in examples/argocd/health with Debian's lua5.4 (installed by
/// tools/deps.sh) against sample statuses.
/// </summary>
public sealed class LuaHealthCheckTests
{
    public static TheoryData<string> Kinds => new() { "KafkaCluster", "Topic", "Connector", "Replicator" };

    private static JsonObject Resource(string kind, long generation, long? observed, params (string Type, string Status, string Reason, string Message)[] conditions)
    {
        var status = new JsonObject();
        if (observed is not null)
        {
            status["observedGeneration"] = observed;
        }

        status["conditions"] = new JsonArray(conditions.Select(c => (JsonNode?)new JsonObject
        {
            ["type"] = c.Type,
            ["status"] = c.Status,
            ["reason"] = c.Reason,
            ["message"] = c.Message,
            ["lastTransitionTime"] = "2025-01-01T00:00:00Z",
        }).ToArray());
        return new JsonObject
        {
            ["apiVersion"] = "kafka.tributary.dev/v1alpha1",
            ["kind"] = kind,
            ["metadata"] = new JsonObject { ["name"] = "orders", ["generation"] = generation },
            ["status"] = status,
        };
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void ReadyAndCurrentIsHealthy(string kind)
    {
        var obj = Resource(kind, 3, 3, ("Ready", "True", "Ready", "3/3 brokers ready"), ("Reconciling", "False", "Done", "up to date"), ("Stalled", "False", "Ok", "ok"));
        Assert.Equal(("Healthy", "3/3 brokers ready"), Run(kind, obj));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void ReconcilingIsProgressing(string kind)
    {
        var obj = Resource(kind, 3, 3, ("Ready", "False", "Rolling", "restarting broker 1000"), ("Reconciling", "True", "Rolling", "restarting broker 1000"));
        Assert.Equal(("Progressing", "restarting broker 1000"), Run(kind, obj));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void StalledIsDegraded(string kind)
    {
        var obj = Resource(kind, 4, 4, ("Ready", "False", "InvalidSpec", "invalid"), ("Stalled", "True", "InvalidSpec", "spec.brokers must be at least 1 (got 0)"));
        Assert.Equal(("Degraded", "spec.brokers must be at least 1 (got 0)"), Run(kind, obj));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void StaleGenerationIsProgressingEvenWhenReady(string kind)
    {
        var obj = Resource(kind, 5, 4, ("Ready", "True", "Ready", "ready"), ("Stalled", "True", "Old", "old problem"));
        Assert.Equal(("Progressing", "Waiting for the operator to observe generation 5"), Run(kind, obj));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void NoStatusYetIsProgressing(string kind)
    {
        var obj = new JsonObject { ["kind"] = kind, ["metadata"] = new JsonObject { ["name"] = "orders", ["generation"] = 1 } };
        Assert.Equal(("Progressing", "Waiting for the operator to report status"), Run(kind, obj));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void ArgoCdConfigMapCarriesTheSameScript(string kind)
    {
        var configMap = YamlReader.Read(File.ReadAllText(RepoPaths.Combine("examples", "argocd", "argocd-cm.yaml")))!;
        var script = configMap["data"]![$"resource.customizations.health.kafka.tributary.dev_{kind}"]!.GetValue<string>();
        Assert.Equal(File.ReadAllText(Script(kind)), script);
    }

    private static string Script(string kind) => RepoPaths.Combine("examples", "argocd", "health", kind + ".lua");

    private static (string Status, string Message) Run(string kind, JsonObject obj)
    {
        var objectFile = Path.Combine(Path.GetTempPath(), $"tributary-health-{Guid.NewGuid():N}.lua");
        File.WriteAllText(objectFile, "return " + LuaLiteral.From(obj) + "\n");
        try
        {
            var start = new ProcessStartInfo("lua5.4")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(RepoPaths.Combine("tests", "Tributary.Operator.Tests", "HealthChecks", "harness.lua"));
            start.ArgumentList.Add(objectFile);
            start.ArgumentList.Add(Script(kind));
            Process process;
            try
            {
                process = Process.Start(start)!;
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                throw new InvalidOperationException("lua5.4 is required for the health-check tests: run tools/deps.sh (apt-get install lua5.4)", e);
            }

            using (process)
            {
                var stdout = process.StandardOutput.ReadToEnd();
                var stderr = process.StandardError.ReadToEnd();
                process.WaitForExit();
                Assert.True(process.ExitCode == 0, $"lua failed: {stderr}");
                var lines = stdout.Split('\n');
                return (lines[0], lines[1]);
            }
        }
        finally
        {
            File.Delete(objectFile);
        }
    }
}
