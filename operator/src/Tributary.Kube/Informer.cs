using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Tributary.Kube;

/// <summary>
/// Lists then watches one resource, keeping a thread-safe cache keyed "namespace/name".
/// Resumes watches from the last seen resourceVersion (bookmarks included), relists on 410 Gone,
/// and periodically re-delivers every object as an update (resync). Callbacks run on the informer's
/// loop and should be quick (typically: enqueue the key on a <see cref="WorkQueue{T}"/>).
/// </summary>
public sealed class Informer
{
    private readonly IKubeClient _client;
    private readonly ResourceDescriptor _resource;
    private readonly InformerOptions _options;
    private readonly ConcurrentDictionary<string, JsonObject> _cache = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _deliveryLock = new();
    private long _relists;

    public Informer(IKubeClient client, ResourceDescriptor resource, InformerOptions? options = null)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _resource = resource ?? throw new ArgumentNullException(nameof(resource));
        _options = options ?? new InformerOptions();
    }

    public event Action<JsonObject>? Added;

    /// <summary>(old, new); on resync both are the same cached object.</summary>
    public event Action<JsonObject, JsonObject>? Updated;

    public event Action<JsonObject>? Deleted;

    /// <summary>Raised when a list/watch fails (the informer retries on its own).</summary>
    public event Action<Exception>? Error;

    public ResourceDescriptor Resource => _resource;

    public bool HasSynced => _synced.Task.IsCompleted;

    /// <summary>resourceVersion the next watch resumes from.</summary>
    public string LastResourceVersion { get; private set; } = "";

    /// <summary>Number of full lists done (1 after the initial sync; grows on 410 Gone).</summary>
    public long ListCount => Interlocked.Read(ref _relists);

    public Task WaitForSyncAsync(CancellationToken cancellationToken = default) => _synced.Task.WaitAsync(cancellationToken);

    public JsonObject? Get(string key) => _cache.TryGetValue(key, out var obj) ? obj : null;

    public JsonObject? Get(string? ns, string name) => Get(string.IsNullOrEmpty(ns) ? name : ns + "/" + name);

    public IReadOnlyList<JsonObject> List() => _cache.Values.ToList();

    public IReadOnlyCollection<string> Keys => _cache.Keys.ToList();

    /// <summary>Runs list+watch until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var resync = _options.ResyncPeriod > TimeSpan.Zero
            ? _options.TimeProvider.CreateTimer(_ => Resync(), null, _options.ResyncPeriod, _options.ResyncPeriod)
            : null;
        var needList = true;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (needList)
                {
                    await ListAndReplaceAsync(cancellationToken).ConfigureAwait(false);
                    needList = false;
                }
                await WatchOnceAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (ResourceVersionGoneException)
            {
                // Our resourceVersion fell out of the server's history: start over from a fresh list.
                needList = true;
            }
            catch (Exception e) when (e is KubeApiException or IOException or HttpRequestException)
            {
                Error?.Invoke(e);
                try
                {
                    await Task.Delay(_options.RetryDelay, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task ListAndReplaceAsync(CancellationToken cancellationToken)
    {
        var fresh = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        string? cont = null;
        string resourceVersion;
        do
        {
            var page = await _client.ListAsync(_resource, _options.Namespace, new ListOptions
            {
                LabelSelector = _options.LabelSelector,
                FieldSelector = _options.FieldSelector,
                Limit = _options.PageSize,
                Continue = cont,
            }, cancellationToken).ConfigureAwait(false);
            foreach (var item in page.Items)
            {
                fresh[item.Key()] = item;
            }
            cont = page.Continue;
            resourceVersion = page.ResourceVersion;
        }
        while (cont is not null);

        lock (_deliveryLock)
        {
            foreach (var (key, obj) in fresh)
            {
                if (_cache.TryGetValue(key, out var old))
                {
                    _cache[key] = obj;
                    if (old.ResourceVersion() != obj.ResourceVersion())
                    {
                        Invoke(() => Updated?.Invoke(old, obj));
                    }
                }
                else
                {
                    _cache[key] = obj;
                    Invoke(() => Added?.Invoke(obj));
                }
            }
            foreach (var key in _cache.Keys.Where(k => !fresh.ContainsKey(k)).ToList())
            {
                if (_cache.TryRemove(key, out var gone))
                {
                    Invoke(() => Deleted?.Invoke(gone));
                }
            }
            LastResourceVersion = resourceVersion;
        }
        Interlocked.Increment(ref _relists);
        _synced.TrySetResult();
    }

    private async Task WatchOnceAsync(CancellationToken cancellationToken)
    {
        var options = new WatchOptions
        {
            LabelSelector = _options.LabelSelector,
            FieldSelector = _options.FieldSelector,
            ResourceVersion = LastResourceVersion,
            AllowWatchBookmarks = true,
            TimeoutSeconds = _options.WatchTimeoutSeconds,
        };
        await foreach (var evt in _client.WatchAsync(_resource, _options.Namespace, options, cancellationToken).ConfigureAwait(false))
        {
            Apply(evt);
        }
    }

    private void Apply(WatchEvent evt)
    {
        lock (_deliveryLock)
        {
            if (evt.Object.ResourceVersion() is { Length: > 0 } rv)
            {
                LastResourceVersion = rv;
            }
            if (evt.Type == WatchEventType.Bookmark)
            {
                return;
            }
            var obj = evt.Object;
            obj["apiVersion"] ??= _resource.ApiVersion;
            obj["kind"] ??= _resource.Kind;
            var key = obj.Key();
            switch (evt.Type)
            {
                case WatchEventType.Added:
                case WatchEventType.Modified:
                    if (_cache.TryGetValue(key, out var old))
                    {
                        _cache[key] = obj;
                        Invoke(() => Updated?.Invoke(old, obj));
                    }
                    else
                    {
                        _cache[key] = obj;
                        Invoke(() => Added?.Invoke(obj));
                    }
                    break;
                case WatchEventType.Deleted:
                    if (_cache.TryRemove(key, out var removed))
                    {
                        Invoke(() => Deleted?.Invoke(obj.ResourceVersion() is null ? removed : obj));
                    }
                    break;
            }
        }
    }

    private void Resync()
    {
        lock (_deliveryLock)
        {
            foreach (var obj in _cache.Values)
            {
                Invoke(() => Updated?.Invoke(obj, obj));
            }
        }
    }

    // A throwing handler must not kill the informer; it is reported through Error instead.
    private void Invoke(Action callback)
    {
        try
        {
            callback();
        }
#pragma warning disable CA1031 // handler failures are reported, not propagated
        catch (Exception e)
#pragma warning restore CA1031
        {
            Error?.Invoke(e);
        }
    }
}
