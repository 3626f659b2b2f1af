using Tributary.Kube;
using Tributary.Operator.Hosting;

// The operator process: settings from the TRIBUTARY_* variables the Helm chart sets, the in-cluster
// service account (or KUBECONFIG outside a cluster), controllers behind leader election.
var options = OperatorOptions.FromEnvironment();
using var client = new KubeHttpClient(KubeConfigLoader.LoadDefault());
await using var app = OperatorHost.Build(options, client);
await app.RunAsync().ConfigureAwait(false);
