using System.Text.Json.Nodes;
using Tributary.FakeKube;

namespace Tributary.Kube.Tests;

public sealed class WatchTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Watch_FromListResourceVersion_StreamsChangesInOrder()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        await client.CreateAsync(ResourceDescriptor.ConfigMaps, TestObjects.ConfigMap("default", "before"));
        var list = await client.ListAsync(ResourceDescriptor.ConfigMaps, "default");

        using var cts = new CancellationTokenSource(Timeout);
        await using var events = client.WatchAsync(ResourceDescriptor.ConfigMaps, "default",
            new WatchOptions { ResourceVersion = list.ResourceVersion, AllowWatchBookmarks = false }, cts.Token).GetAsyncEnumerator(cts.Token);

        var created = await client.CreateAsync(ResourceDescriptor.ConfigMaps, TestObjects.ConfigMap("default", "a"));
        var modified = (JsonObject)created.DeepClone();
        modified["data"] = new JsonObject { ["k"] = "v" };
        await client.UpdateAsync(ResourceDescriptor.ConfigMaps, modified);
        await client.DeleteAsync(ResourceDescriptor.ConfigMaps, "default", "a");

        var seen = new List<(WatchEventType, string)>();
        while (seen.Count < 3 && await events.MoveNextAsync())
        {
            seen.Add((events.Current.Type, events.Current.Object.Name()!));
        }
        Assert.Equal([(WatchEventType.Added, "a"), (WatchEventType.Modified, "a"), (WatchEventType.Deleted, "a")], seen);
    }

    [Fact]
    public async Task Watch_WithoutResourceVersion_StartsWithCurrentStateAsAdded()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        await client.CreateAsync(ResourceDescriptor.ConfigMaps, TestObjects.ConfigMap("default", "x", new Dictionary<string, string> { ["app"] = "k" }));
        await client.CreateAsync(ResourceDescriptor.ConfigMaps, TestObjects.ConfigMap("default", "y"));

        using var cts = new CancellationTokenSource(Timeout);
        await using var events = client.WatchAsync(ResourceDescriptor.ConfigMaps, "default",
            new WatchOptions { LabelSelector = "app=k", AllowWatchBookmarks = false }, cts.Token).GetAsyncEnumerator(cts.Token);
        Assert.True(await events.MoveNextAsync());
        Assert.Equal(WatchEventType.Added, events.Current.Type);
        Assert.Equal("x", events.Current.Object.Name());

        // Leaving the label selection shows up as DELETED for this watcher.
        await client.PatchAsync(ResourceDescriptor.ConfigMaps, "default", "x",
            new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = "other" } } });
        Assert.True(await events.MoveNextAsync());
        Assert.Equal(WatchEventType.Deleted, events.Current.Type);
    }

    [Fact]
    public async Task Watch_SendsBookmarksWithCurrentResourceVersion()
    {
        await using var server = await FakeApiServer.StartAsync(new FakeApiServerOptions { BookmarkInterval = TimeSpan.FromMilliseconds(50) });
        using var client = server.CreateClient();
        var list = await client.ListAsync(ResourceDescriptor.ConfigMaps, "default");
        await client.CreateAsync(ResourceDescriptor.ConfigMaps, TestObjects.ConfigMap("kube-system", "elsewhere"));

        using var cts = new CancellationTokenSource(Timeout);
        await foreach (var evt in client.WatchAsync(ResourceDescriptor.ConfigMaps, "default",
            new WatchOptions { ResourceVersion = list.ResourceVersion, AllowWatchBookmarks = true }, cts.Token))
        {
            Assert.Equal(WatchEventType.Bookmark, evt.Type);
            Assert.Equal(server.Store.CurrentResourceVersion, evt.Object.ResourceVersion());
            return;
        }
        Assert.Fail("watch ended without a bookmark");
    }

    [Fact]
    public async Task Watch_FromCompactedResourceVersion_IsGone()
    {
        await using var server = await FakeApiServer.StartAsync(new FakeApiServerOptions { HistoryLimit = 3 });
        using var client = server.CreateClient();
        var list = await client.ListAsync(ResourceDescriptor.ConfigMaps, "default");
        for (var i = 0; i < 5; i++)
        {
            await client.CreateAsync(ResourceDescriptor.ConfigMaps, TestObjects.ConfigMap("default", $"c{i}"));
        }

        using var cts = new CancellationTokenSource(Timeout);
        var e = await Assert.ThrowsAsync<ResourceVersionGoneException>(async () =>
        {
            await foreach (var _ in client.WatchAsync(ResourceDescriptor.ConfigMaps, "default", new WatchOptions { ResourceVersion = list.ResourceVersion }, cts.Token))
            {
            }
        });
        Assert.Equal(410, e.StatusCode);
        Assert.True(e.IsGone);
    }

    [Fact]
    public async Task Watch_TimeoutSecondsEndsStreamNormally()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.CreateClient();
        var list = await client.ListAsync(ResourceDescriptor.ConfigMaps, "default");
        using var cts = new CancellationTokenSource(Timeout);
        var count = 0;
        await foreach (var _ in client.WatchAsync(ResourceDescriptor.ConfigMaps, "default",
            new WatchOptions { ResourceVersion = list.ResourceVersion, AllowWatchBookmarks = false, TimeoutSeconds = 1 }, cts.Token))
        {
            count++;
        }
        Assert.Equal(0, count);
        Assert.False(cts.IsCancellationRequested);
    }

    [Theory]
    [InlineData("""{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","status":"Failure","message":"too old resource version: 1 (5)","reason":"Expired","code":410}}""", 410)]
    [InlineData("""{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","status":"Failure","message":"boom","reason":"InternalError","code":500}}""", 500)]
    public void ParseWatchLine_TurnsErrorEventsIntoTypedExceptions(string line, int code)
    {
        var e = Assert.ThrowsAny<KubeApiException>(() => KubeHttpClient.ParseWatchLine(line));
        Assert.Equal(code, e.StatusCode);
        Assert.Equal(code == 410, e is ResourceVersionGoneException);
    }

    [Fact]
    public void ParseWatchLine_RejectsMalformedInput()
    {
        Assert.Throws<KubeApiException>(() => KubeHttpClient.ParseWatchLine("{not json"));
        Assert.Throws<KubeApiException>(() => KubeHttpClient.ParseWatchLine("""{"type":"WHAT","object":{}}"""));
        Assert.Throws<KubeApiException>(() => KubeHttpClient.ParseWatchLine("""{"type":"ADDED"}"""));
        var bookmark = KubeHttpClient.ParseWatchLine("""{"type":"BOOKMARK","object":{"kind":"ConfigMap","metadata":{"resourceVersion":"12"}}}""");
        Assert.Equal(WatchEventType.Bookmark, bookmark.Type);
        Assert.Equal("12", bookmark.Object.ResourceVersion());
    }
}
