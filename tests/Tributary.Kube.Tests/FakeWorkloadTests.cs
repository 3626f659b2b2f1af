using System.Text.Json.Nodes;
using Tributary.FakeKube;

namespace Tributary.Kube.Tests;

public sealed class FakeWorkloadTests
{
    [Fact]
    public async Task StatefulSet_GetsOrdinalPodsClaimsAndStatus()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        var sts = await client.CreateAsync(ResourceDescriptor.StatefulSets, TestObjects.StatefulSet("default", "kafka", 3));
        server.Workloads.ReconcileOnce();

        var pods = (await client.ListAsync(ResourceDescriptor.Pods, "default", new ListOptions { LabelSelector = "app=kafka" })).Items;
        Assert.Equal(["kafka-0", "kafka-1", "kafka-2"], pods.Select(p => p.Name()!).Order().ToArray());
        var pod0 = pods.Single(p => p.Name() == "kafka-0");
        Assert.True(FakeWorkloadController.IsReady(pod0));
        Assert.Equal("Running", pod0["status"]!["phase"]!.GetValue<string>());
        var owner = Assert.Single(pod0["metadata"]!["ownerReferences"]!.AsArray())!;
        Assert.Equal(sts.Uid(), owner["uid"]!.GetValue<string>());
        Assert.Equal("kafka", pod0["spec"]!["subdomain"]!.GetValue<string>());
        var volume = pod0["spec"]!["volumes"]!.AsArray().Single(v => v!["name"]!.GetValue<string>() == "data")!;
        Assert.Equal("data-kafka-0", volume["persistentVolumeClaim"]!["claimName"]!.GetValue<string>());

        var pvc = await client.GetAsync(ResourceDescriptor.PersistentVolumeClaims, "default", "data-kafka-2");
        Assert.Equal("Bound", pvc["status"]!["phase"]!.GetValue<string>());
        Assert.Equal("kafka", pvc.Label("app"));

        var status = (await client.GetAsync(ResourceDescriptor.StatefulSets, "default", "kafka"))["status"]!;
        Assert.Equal(3, status["replicas"]!.GetValue<int>());
        Assert.Equal(3, status["readyReplicas"]!.GetValue<int>());
        Assert.Equal(1, status["observedGeneration"]!.GetValue<long>());
        Assert.Equal(status["currentRevision"]!.GetValue<string>(), status["updateRevision"]!.GetValue<string>());
        Assert.Equal(status["updateRevision"]!.GetValue<string>(), pod0.Label(FakeWorkloadController.RevisionLabel));
    }

    [Fact]
    public async Task StatefulSet_OnDelete_OnlyRecreatedPodsGetTheNewTemplate()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        var sts = await client.CreateAsync(ResourceDescriptor.StatefulSets, TestObjects.StatefulSet("default", "kafka", 2, "broker:1"));
        server.Workloads.ReconcileOnce();
        var oldRevision = (await client.GetAsync(ResourceDescriptor.StatefulSets, "default", "kafka"))["status"]!["updateRevision"]!.GetValue<string>();

        var current = await client.GetAsync(ResourceDescriptor.StatefulSets, "default", "kafka");
        current["spec"]!["template"]!["spec"]!["containers"]![0]!["image"] = "broker:2";
        await client.UpdateAsync(ResourceDescriptor.StatefulSets, current);
        server.Workloads.ReconcileOnce();

        var afterTemplate = (await client.GetAsync(ResourceDescriptor.StatefulSets, "default", "kafka"))["status"]!;
        var newRevision = afterTemplate["updateRevision"]!.GetValue<string>();
        Assert.NotEqual(oldRevision, newRevision);
        Assert.Equal(oldRevision, afterTemplate["currentRevision"]!.GetValue<string>());
        Assert.Equal(0, afterTemplate["updatedReplicas"]!.GetValue<int>());
        Assert.Equal(2, afterTemplate["observedGeneration"]!.GetValue<long>());
        var pod1 = await client.GetAsync(ResourceDescriptor.Pods, "default", "kafka-1");
        Assert.Equal("broker:1", pod1["spec"]!["containers"]![0]!["image"]!.GetValue<string>());

        // Deleting a pod (the operator's roll) recreates it from the new template; the PVC is reused.
        var pvcBefore = await client.GetAsync(ResourceDescriptor.PersistentVolumeClaims, "default", "data-kafka-1");
        await client.DeleteAsync(ResourceDescriptor.Pods, "default", "kafka-1");
        server.Workloads.ReconcileOnce();
        var recreated = await client.GetAsync(ResourceDescriptor.Pods, "default", "kafka-1");
        Assert.NotEqual(pod1.Uid(), recreated.Uid());
        Assert.Equal("broker:2", recreated["spec"]!["containers"]![0]!["image"]!.GetValue<string>());
        Assert.Equal(newRevision, recreated.Label(FakeWorkloadController.RevisionLabel));
        Assert.Equal(pvcBefore.Uid(), (await client.GetAsync(ResourceDescriptor.PersistentVolumeClaims, "default", "data-kafka-1")).Uid());

        await client.DeleteAsync(ResourceDescriptor.Pods, "default", "kafka-0");
        server.Workloads.ReconcileOnce();
        var rolled = (await client.GetAsync(ResourceDescriptor.StatefulSets, "default", "kafka"))["status"]!;
        Assert.Equal(newRevision, rolled["currentRevision"]!.GetValue<string>());
        Assert.Equal(2, rolled["updatedReplicas"]!.GetValue<int>());
        _ = sts;
    }

    [Fact]
    public async Task StatefulSet_ScaleDownRemovesHighestOrdinalsAndDeletionCollectsPods()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        await client.CreateAsync(ResourceDescriptor.StatefulSets, TestObjects.StatefulSet("default", "kafka", 3));
        server.Workloads.ReconcileOnce();
        await client.PatchAsync(ResourceDescriptor.StatefulSets, "default", "kafka", new JsonObject { ["spec"] = new JsonObject { ["replicas"] = 1 } });
        server.Workloads.ReconcileOnce();
        var pods = (await client.ListAsync(ResourceDescriptor.Pods, "default")).Items;
        Assert.Equal("kafka-0", Assert.Single(pods).Name());

        await client.DeleteAsync(ResourceDescriptor.StatefulSets, "default", "kafka");
        Assert.Empty((await client.ListAsync(ResourceDescriptor.Pods, "default")).Items);
        // PVCs outlive the StatefulSet, as in Kubernetes.
        Assert.Equal(3, (await client.ListAsync(ResourceDescriptor.PersistentVolumeClaims, "default")).Items.Count);
    }

    [Fact]
    public async Task PodReadiness_CanBeHeldDownAndRestored()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        await client.CreateAsync(ResourceDescriptor.StatefulSets, TestObjects.StatefulSet("default", "kafka", 2));
        server.Workloads.ReconcileOnce();
        server.Workloads.SetPodReady("default", "kafka-1", false);
        server.Workloads.ReconcileOnce();
        Assert.False(FakeWorkloadController.IsReady(await client.GetAsync(ResourceDescriptor.Pods, "default", "kafka-1")));
        Assert.Equal(1, (await client.GetAsync(ResourceDescriptor.StatefulSets, "default", "kafka"))["status"]!["readyReplicas"]!.GetValue<int>());

        server.Workloads.SetPodReady("default", "kafka-1", true);
        server.Workloads.ReconcileOnce();
        Assert.Equal(2, (await client.GetAsync(ResourceDescriptor.StatefulSets, "default", "kafka"))["status"]!["readyReplicas"]!.GetValue<int>());
    }

    [Fact]
    public async Task Deployment_RunsPodsAndReplacesThemOnTemplateChange()
    {
        await using var server = await FakeApiServer.StartAsync(new FakeApiServerOptions { SimulateWorkloads = true, WorkloadInterval = TimeSpan.FromMilliseconds(20) });
        using var client = server.CreateClient();
        var deploy = JsonNode.Parse("""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"ui","namespace":"default"},
             "spec":{"replicas":2,"selector":{"matchLabels":{"app":"ui"}},
               "template":{"metadata":{"labels":{"app":"ui"}},"spec":{"containers":[{"name":"ui","image":"ui:1"}]}}}}
            """)!.AsObject();
        await client.CreateAsync(ResourceDescriptor.Deployments, deploy);
        await TestObjects.EventuallyAsync(async () =>
            (await client.GetAsync(ResourceDescriptor.Deployments, "default", "ui"))["status"]?["readyReplicas"]?.AsInt64() == 2, "deployment ready");

        await client.PatchAsync(ResourceDescriptor.Deployments, "default", "ui", JsonNode.Parse("""
            {"spec":{"template":{"spec":{"containers":[{"name":"ui","image":"ui:2"}]}}}}
            """)!);
        await TestObjects.EventuallyAsync(async () =>
        {
            var pods = (await client.ListAsync(ResourceDescriptor.Pods, "default", new ListOptions { LabelSelector = "app=ui" })).Items;
            return pods.Count == 2 && pods.All(p => p["spec"]!["containers"]![0]!["image"]!.GetValue<string>() == "ui:2" && FakeWorkloadController.IsReady(p));
        }, "rollout to ui:2");
        Assert.Empty(server.Workloads.Errors);
    }
}
