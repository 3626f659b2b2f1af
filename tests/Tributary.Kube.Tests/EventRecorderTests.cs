using Tributary.FakeKube;

namespace Tributary.Kube.Tests;

public sealed class EventRecorderTests
{
    [Fact]
    public async Task RepeatedEvents_AreAggregatedWithCount()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        var time = new ManualTimeProvider();
        var recorder = new KubeEventRecorder(client, "tributary-operator", "op-0", time);
        var involved = await client.CreateAsync(ResourceDescriptor.ConfigMaps, TestObjects.ConfigMap("default", "subject"));

        await recorder.RecordAsync(involved, EventTypes.Normal, "Reconciled", "all good");
        time.Advance(TimeSpan.FromMinutes(1));
        await recorder.RecordAsync(involved, EventTypes.Normal, "Reconciled", "all good");
        await recorder.RecordAsync(involved, EventTypes.Warning, "Degraded", "broker 2 down");

        var events = (await client.ListAsync(ResourceDescriptor.Events, "default")).Items;
        Assert.Equal(2, events.Count);
        var normal = events.Single(e => e["reason"]!.GetValue<string>() == "Reconciled");
        Assert.Equal(2, normal["count"]!.GetValue<int>());
        Assert.Equal("Normal", normal["type"]!.GetValue<string>());
        Assert.Equal("all good", normal["message"]!.GetValue<string>());
        Assert.Equal("tributary-operator", normal["reportingComponent"]!.GetValue<string>());
        Assert.NotEqual(normal["firstTimestamp"]!.GetValue<string>(), normal["lastTimestamp"]!.GetValue<string>());
        var io = normal["involvedObject"]!;
        Assert.Equal("ConfigMap", io["kind"]!.GetValue<string>());
        Assert.Equal("subject", io["name"]!.GetValue<string>());
        Assert.Equal(involved.Uid(), io["uid"]!.GetValue<string>());

        var warning = events.Single(e => e["reason"]!.GetValue<string>() == "Degraded");
        Assert.Equal("Warning", warning["type"]!.GetValue<string>());
        Assert.Equal(1, warning["count"]!.GetValue<int>());
    }

    [Fact]
    public async Task ExpiredEvent_IsRecreated()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        var recorder = new KubeEventRecorder(client, "tributary-operator");
        var involved = await client.CreateAsync(ResourceDescriptor.ConfigMaps, TestObjects.ConfigMap("default", "subject"));
        await recorder.RecordAsync(involved, EventTypes.Normal, "R", "m");
        var first = Assert.Single((await client.ListAsync(ResourceDescriptor.Events, "default")).Items);
        await client.DeleteAsync(ResourceDescriptor.Events, "default", first.Name()!);
        await recorder.RecordAsync(involved, EventTypes.Normal, "R", "m");
        var second = Assert.Single((await client.ListAsync(ResourceDescriptor.Events, "default")).Items);
        Assert.Equal(1, second["count"]!.GetValue<int>());
    }
}
