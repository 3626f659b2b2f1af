using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Tributary.FakeKube;

namespace Tributary.Kube.Tests;

public sealed class InformerTests
{
    [Fact]
    public async Task Informer_SyncsThenDeliversAddUpdateDelete()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        for (var i = 0; i < 5; i++)
        {
            await client.CreateAsync(ResourceDescriptor.ConfigMaps, TestObjects.ConfigMap("default", $"pre-{i}"));
        }
        var informer = new Informer(client, ResourceDescriptor.ConfigMaps, new InformerOptions { Namespace = "default", PageSize = 2 });
        var log = new ConcurrentQueue<string>();
        informer.Added += o => log.Enqueue("add " + o.Name());
        informer.Updated += (old, cur) => log.Enqueue($"update {cur.Name()} {old["data"]?["k"]}->{cur["data"]?["k"]}");
        informer.Deleted += o => log.Enqueue("delete " + o.Name());

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var run = informer.RunAsync(cts.Token);
        await informer.WaitForSyncAsync(cts.Token);
        Assert.Equal(5, informer.List().Count);
        Assert.Equal(5, log.Count(l => l.StartsWith("add pre-", StringComparison.Ordinal)));

        var created = await client.CreateAsync(ResourceDescriptor.ConfigMaps, TestObjects.ConfigMap("default", "live", data: new Dictionary<string, string> { ["k"] = "1" }));
        var changed = (JsonObject)created.DeepClone();
        changed["data"]!["k"] = "2";
        await client.UpdateAsync(ResourceDescriptor.ConfigMaps, changed);
        await client.DeleteAsync(ResourceDescriptor.ConfigMaps, "default", "pre-0");

        await TestObjects.EventuallyAsync(() => Task.FromResult(log.Contains("delete pre-0")), "delete event");
        Assert.Contains("add live", log);
        Assert.Contains("update live 1->2", log);
        Assert.Equal("2", informer.Get("default/live")!["data"]!["k"]!.GetValue<string>());
        Assert.Null(informer.Get("default", "pre-0"));
        Assert.Equal(1, informer.ListCount);

        await cts.CancelAsync();
        await run;
    }

    [Fact]
    public async Task Informer_RelistsAfterGoneAndReconcilesMissedChanges()
    {
        // No bookmarks: the informer's resourceVersion stays behind writes it does not see.
        await using var server = await FakeApiServer.StartAsync(new FakeApiServerOptions { BookmarkInterval = TimeSpan.FromHours(1) });
        using var client = server.CreateClient();
        await client.CreateAsync(ResourceDescriptor.Namespaces, TestObjects.Namespace("elsewhere"));
        await client.CreateAsync(ResourceDescriptor.ConfigMaps, TestObjects.ConfigMap("default", "keep"));
        await client.CreateAsync(ResourceDescriptor.ConfigMaps, TestObjects.ConfigMap("default", "doomed"));

        var informer = new Informer(client, ResourceDescriptor.ConfigMaps, new InformerOptions { Namespace = "default", RetryDelay = TimeSpan.FromMilliseconds(10) });
        var deleted = new ConcurrentQueue<string>();
        var added = new ConcurrentQueue<string>();
        informer.Deleted += o => deleted.Enqueue(o.Name()!);
        informer.Added += o => added.Enqueue(o.Name()!);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var run = informer.RunAsync(cts.Token);
        await informer.WaitForSyncAsync(cts.Token);

        // Changes the informer cannot see through its watch: the server drops the history and every watch,
        // and the state changes before the informer reconnects.
        server.Store.CloseWatchesAndCompact(() =>
        {
            server.Store.Delete(ResourceDescriptor.ConfigMaps, "default", "doomed");
            server.Store.Create(ResourceDescriptor.ConfigMaps, TestObjects.ConfigMap("default", "born"));
            server.Store.Create(ResourceDescriptor.ConfigMaps, TestObjects.ConfigMap("elsewhere", "noise"));
        });

        await TestObjects.EventuallyAsync(() => Task.FromResult(informer.ListCount >= 2 && deleted.Contains("doomed") && added.Contains("born")), "relist after 410");
        Assert.Equal(["born", "keep"], informer.List().Select(o => o.Name()!).Order().ToArray());

        // The watch resumes after the relist.
        await client.CreateAsync(ResourceDescriptor.ConfigMaps, TestObjects.ConfigMap("default", "after"));
        await TestObjects.EventuallyAsync(() => Task.FromResult(added.Contains("after")), "event after relist");

        await cts.CancelAsync();
        await run;
    }

    [Fact]
    public async Task Informer_TracksBookmarkResourceVersion()
    {
        await using var server = await FakeApiServer.StartAsync(new FakeApiServerOptions { BookmarkInterval = TimeSpan.FromMilliseconds(50) });
        using var client = server.CreateClient();
        var informer = new Informer(client, ResourceDescriptor.ConfigMaps, new InformerOptions { Namespace = "default" });
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var run = informer.RunAsync(cts.Token);
        await informer.WaitForSyncAsync(cts.Token);
        var synced = informer.LastResourceVersion;

        // A change in another namespace advances the server's resourceVersion; only a bookmark tells the informer.
        await client.CreateAsync(ResourceDescriptor.ConfigMaps, TestObjects.ConfigMap("kube-system", "unrelated"));
        await TestObjects.EventuallyAsync(() => Task.FromResult(informer.LastResourceVersion == server.Store.CurrentResourceVersion), "bookmark");
        Assert.NotEqual(synced, informer.LastResourceVersion);
        Assert.Empty(informer.List());

        await cts.CancelAsync();
        await run;
    }

    [Fact]
    public async Task Informer_ResyncRedeliversCachedObjects()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        await client.CreateAsync(ResourceDescriptor.ConfigMaps, TestObjects.ConfigMap("default", "one"));
        var time = new ManualTimeProvider();
        var informer = new Informer(client, ResourceDescriptor.ConfigMaps,
            new InformerOptions { Namespace = "default", ResyncPeriod = TimeSpan.FromMinutes(1), TimeProvider = time });
        var resyncs = 0;
        informer.Updated += (old, cur) =>
        {
            if (ReferenceEquals(old, cur))
            {
                Interlocked.Increment(ref resyncs);
            }
        };
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var run = informer.RunAsync(cts.Token);
        await informer.WaitForSyncAsync(cts.Token);
        Assert.Equal(0, Volatile.Read(ref resyncs));
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, Volatile.Read(ref resyncs));
        time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(3, Volatile.Read(ref resyncs));

        await cts.CancelAsync();
        await run;
    }
}
