using System.Text.Json.Nodes;
using Tributary.FakeKube;

namespace Tributary.Kube.Tests;

/// <summary>Drives the fake API server with the real kubectl, asserting on exit codes and output.</summary>
public sealed class KubectlFidelityTests : IAsyncLifetime
{
    private const string Manifest = """
        apiVersion: v1
        kind: Namespace
        metadata:
          name: demo
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: app-config
          namespace: demo
          labels: {app: demo}
        data:
          key: value
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: app
          namespace: demo
        spec:
          clusterIP: None
          selector: {app: demo}
          ports:
          - {name: kafka, port: 9092}
        ---
        apiVersion: apps/v1
        kind: StatefulSet
        metadata:
          name: app
          namespace: demo
        spec:
          replicas: 2
          serviceName: app
          selector:
            matchLabels: {app: demo}
          template:
            metadata:
              labels: {app: demo}
            spec:
              containers:
              - {name: main, image: "busybox:1"}
          volumeClaimTemplates:
          - metadata: {name: data}
            spec:
              accessModes: [ReadWriteOnce]
              resources: {requests: {storage: 1Gi}}
        ---
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: kafkaclusters.tributary.io
        spec:
          group: tributary.io
          scope: Namespaced
          names: {plural: kafkaclusters, singular: kafkacluster, kind: KafkaCluster, shortNames: [kc]}
          versions:
          - name: v1alpha1
            served: true
            storage: true
            subresources: {status: {}}
            additionalPrinterColumns:
            - {name: Brokers, type: integer, jsonPath: .spec.brokers}
            schema:
              openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
        """;

    private const string CustomResource = """
        apiVersion: tributary.io/v1alpha1
        kind: KafkaCluster
        metadata: {name: prod, namespace: demo}
        spec: {brokers: 3}
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("kubectl-tests").FullName;
    private FakeApiServer _server = null!;
    private KubeHttpClient _client = null!;
    private Kubectl _kubectl = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeApiServer.StartAsync(new FakeApiServerOptions { SimulateWorkloads = true, WorkloadInterval = TimeSpan.FromMilliseconds(50) });
        _client = _server.CreateClient();
        var kubeconfig = Path.Combine(_dir, "kubeconfig");
        _server.WriteKubeconfig(kubeconfig);
        _kubectl = new Kubectl(kubeconfig, Path.Combine(_dir, "cache"));
        // Our own loader reads what the server wrote.
        Assert.Equal(_server.BaseAddress, KubeConfigLoader.FromKubeconfigFile(kubeconfig).Server);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private async Task ApplyManifestAsync()
    {
        var output = await _kubectl.OkAsync("apply --server-side -f -", Manifest);
        Assert.Contains("namespace/demo serverside-applied", output, StringComparison.Ordinal);
        Assert.Contains("statefulset.apps/app serverside-applied", output, StringComparison.Ordinal);
        Assert.Contains("customresourcedefinition.apiextensions.k8s.io/kafkaclusters.tributary.io serverside-applied", output, StringComparison.Ordinal);
        await _kubectl.OkAsync("wait --for=condition=Established crd/kafkaclusters.tributary.io --timeout=20s");
        Assert.Contains("kafkacluster.tributary.io/prod serverside-applied", await _kubectl.OkAsync("apply --server-side -f -", CustomResource), StringComparison.Ordinal);
    }

    [KubectlFact]
    public async Task ApplyGetWaitDelete_FullLifecycle()
    {
        Assert.Contains("v1.32.0-tributary-fake", await _kubectl.OkAsync("version"), StringComparison.Ordinal);
        await ApplyManifestAsync();

        // -o json parses into what the server holds.
        var json = KubeJson.ParseObject(await _kubectl.OkAsync("get configmap app-config -n demo -o json"));
        Assert.Equal("value", json["data"]!["key"]!.GetValue<string>());
        Assert.Equal((await _client.GetAsync(ResourceDescriptor.ConfigMaps, "demo", "app-config")).Uid(), json.Uid());

        // Default table output, including CRD printer columns and short names.
        var table = await _kubectl.OkAsync("get kc -n demo");
        Assert.Matches(@"NAME\s+BROKERS\s+AGE", table);
        Assert.Matches(@"prod\s+3\s+\d+s", table);
        var list = KubeJson.ParseObject(await _kubectl.OkAsync("get kafkaclusters.tributary.io -A -o json"));
        Assert.Equal("prod", Assert.Single(list["items"]!.AsArray())!["metadata"]!["name"]!.GetValue<string>());

        // The fake StatefulSet controller runs pods that kubectl can wait on.
        await _kubectl.OkAsync("wait --for=condition=Ready pod/app-1 -n demo --timeout=20s");
        await _kubectl.OkAsync("wait --for=jsonpath={.status.readyReplicas}=2 statefulset/app -n demo --timeout=20s");
        var pods = await _kubectl.OkAsync("get pods -n demo -l app=demo -o name");
        Assert.Equal(["pod/app-0", "pod/app-1"], pods.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order().ToArray());
        Assert.Contains("persistentvolumeclaim/data-app-1", await _kubectl.OkAsync("get pvc -n demo -o name"), StringComparison.Ordinal);

        // kubectl scale goes through the /scale subresource.
        Assert.Contains("scaled", await _kubectl.OkAsync("scale statefulset app -n demo --replicas=3"), StringComparison.Ordinal);
        await _kubectl.OkAsync("wait --for=condition=Ready pod/app-2 -n demo --timeout=20s");

        // Delete, then NotFound with a failing exit code.
        Assert.Contains("configmap \"app-config\" deleted", await _kubectl.OkAsync("delete configmap app-config -n demo"), StringComparison.Ordinal);
        var (code, _, stderr) = await _kubectl.RunAsync("get configmap app-config -n demo");
        Assert.Equal(1, code);
        Assert.Contains("Error from server (NotFound): configmaps \"app-config\" not found", stderr, StringComparison.Ordinal);

        // Deleting the StatefulSet garbage-collects its pods; kubectl wait --for=delete sees them go.
        await _kubectl.OkAsync("delete statefulset app -n demo");
        await _kubectl.OkAsync("wait --for=delete pod/app-0 -n demo --timeout=20s");

        // Deleting the CRD removes its custom resources.
        await _kubectl.OkAsync("delete crd kafkaclusters.tributary.io");
        Assert.DoesNotContain(_server.Store.Registry.All, r => r.Descriptor.Group == "tributary.io");

        // Namespace deletion removes everything inside.
        await _kubectl.OkAsync("delete namespace demo --wait=true --timeout=20s");
        Assert.Null(await _client.TryGetAsync(ResourceDescriptor.Namespaces, null, "demo"));
        Assert.Empty((await _client.ListAsync(ResourceDescriptor.Services, "demo")).Items);
    }

    [KubectlFact]
    public async Task ServerSideApply_ConflictsWithOperatorUnlessForced()
    {
        await _client.ApplyAsync(ResourceDescriptor.ConfigMaps, TestObjects.ConfigMap("default", "shared", data: new Dictionary<string, string> { ["mode"] = "operator" }));
        const string Theirs = """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: shared, namespace: default}
            data: {mode: human, extra: "1"}
            """;
        var (code, stdout, stderr) = await _kubectl.RunAsync("apply --server-side -f -", Theirs);
        Assert.NotEqual(0, code);
        Assert.Contains("conflict", stderr + stdout, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("tributary-operator", stderr + stdout, StringComparison.Ordinal);

        await _kubectl.OkAsync("apply --server-side --force-conflicts -f -", Theirs);
        var cm = await _client.GetAsync(ResourceDescriptor.ConfigMaps, "default", "shared");
        Assert.Equal("human", cm["data"]!["mode"]!.GetValue<string>());
        var managers = cm["metadata"]!["managedFields"]!.AsArray().Select(m => m!["manager"]!.GetValue<string>()).ToList();
        Assert.Contains("kubectl", managers);
    }

    [KubectlFact]
    public async Task ClientSideApply_LabelPatchAndSelectors()
    {
        const string Cm = """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: settings, namespace: default}
            data: {a: "1"}
            """;
        Assert.Contains("configmap/settings created", await _kubectl.OkAsync("apply -f -", Cm), StringComparison.Ordinal);
        Assert.Contains("configmap/settings unchanged", await _kubectl.OkAsync("apply -f -", Cm), StringComparison.Ordinal);
        Assert.Contains("configmap/settings configured", await _kubectl.OkAsync("apply -f -", Cm.Replace("a: \"1\"", "b: \"2\"", StringComparison.Ordinal)), StringComparison.Ordinal);
        var data = (await _client.GetAsync(ResourceDescriptor.ConfigMaps, "default", "settings"))["data"]!.AsObject();
        Assert.False(data.ContainsKey("a"));
        Assert.Equal("2", data["b"]!.GetValue<string>());

        await _kubectl.OkAsync("label configmap settings tier=broker");
        var patchFile = Path.Combine(_dir, "patch.json");
        await File.WriteAllTextAsync(patchFile, """[{"op":"add","path":"/data/c","value":"3"}]""");
        await _kubectl.OkAsync($"patch configmap settings --type=json --patch-file {patchFile}");
        Assert.Equal("configmap/settings\n", await _kubectl.OkAsync("get configmaps -l tier=broker -o name"));
        Assert.Equal("", await _kubectl.OkAsync("get configmaps -l tier!=broker -o name"));
        Assert.Equal("3", (await _client.GetAsync(ResourceDescriptor.ConfigMaps, "default", "settings"))["data"]!["c"]!.GetValue<string>());

        var (code, _, stderr) = await _kubectl.RunAsync("apply -f -", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bad, namespace: missing}\n");
        Assert.Equal(1, code);
        Assert.Contains("namespaces \"missing\" not found", stderr, StringComparison.Ordinal);
    }

    [KubectlFact]
    public async Task OperatorWrites_AreVisibleToKubectl()
    {
        var owner = await _client.CreateAsync(ResourceDescriptor.ConfigMaps, TestObjects.ConfigMap("default", "owner"));
        var dep = TestObjects.ConfigMap("default", "dependent");
        dep.Metadata()["ownerReferences"] = new JsonArray(TestObjects.OwnerReference(owner));
        await _client.CreateAsync(ResourceDescriptor.ConfigMaps, dep);
        var recorder = new KubeEventRecorder(_client, "tributary-operator");
        await recorder.RecordAsync(owner, EventTypes.Warning, "BrokerDown", "broker 1 is not ready");

        var events = await _kubectl.OkAsync("get events -o json");
        Assert.Contains("BrokerDown", events, StringComparison.Ordinal);

        await _kubectl.OkAsync("delete configmap owner");
        var (code, _, _) = await _kubectl.RunAsync("get configmap dependent");
        Assert.Equal(1, code);
    }
}
