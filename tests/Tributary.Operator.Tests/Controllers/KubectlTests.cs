using Xunit;

namespace Tributary.Operator.Tests.Controllers;

public sealed class KubectlTests
{
    [KubectlFact]
    public async Task KubectlApplyAndWait_ShowPrinterColumnsOfAReadyCluster()
    {
        await using var h = await KafkaClusterHarness.StartAsync();
        var dir = Directory.CreateTempSubdirectory("kc-kubectl").FullName;
        try
        {
            var kubeconfig = Path.Combine(dir, "kubeconfig");
            h.Server.WriteKubeconfig(kubeconfig);
            var kubectl = new Kubectl(kubeconfig, Path.Combine(dir, "cache"));

            // What a user does: apply the example, wait for Ready, list.
            Assert.Contains("kafkacluster.kafka.tributary.dev/orders", await kubectl.OkAsync("apply -f " + RepoPaths.Combine("examples", "kafkacluster-3az.yaml")), StringComparison.Ordinal);
            await kubectl.OkAsync("wait --for=condition=Ready kafkacluster/orders -n kafka --timeout=30s");
            var table = await kubectl.OkAsync("get kafkaclusters -n kafka");
            Assert.True(System.Text.RegularExpressions.Regex.IsMatch(table, @"NAME\s+READY\s+BROKERS\s+BOOTSTRAP\s+"), table);
            Assert.True(System.Text.RegularExpressions.Regex.IsMatch(table, @"orders\s+True\s+3\s+orders-bootstrap\.kafka\.svc:9092\s+"), table);
            Assert.Matches(@"REASON", await kubectl.OkAsync("get kc -n kafka -o wide"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
