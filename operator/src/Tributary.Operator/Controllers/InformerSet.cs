using System.Text.Json.Nodes;
using Tributary.Kube;

namespace Tributary.Operator.Controllers;

/// <summary>
/// One informer per watched namespace (or a single cluster-wide one) for a resource, seen as one cache.
/// The operator watches either all namespaces or the list TRIBUTARY_WATCH_NAMESPACES names.
/// </summary>
public sealed class InformerSet
{
    private readonly IReadOnlyList<Informer> _informers;
    private readonly bool _clusterWide;

    public InformerSet(IKubeClient client, ResourceDescriptor resource, IReadOnlyList<string> namespaces, InformerOptions options)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(options);
        _clusterWide = !resource.Namespaced || namespaces.Count == 0;
        _informers = _clusterWide
            ? [new Informer(client, resource, options with { Namespace = null })]
            : namespaces.Select(ns => new Informer(client, resource, options with { Namespace = ns })).ToList();
    }

    public event Action<JsonObject>? Added
    {
        add => ForEach(i => i.Added += value);
        remove => ForEach(i => i.Added -= value);
    }

    public event Action<JsonObject, JsonObject>? Updated
    {
        add => ForEach(i => i.Updated += value);
        remove => ForEach(i => i.Updated -= value);
    }

    public event Action<JsonObject>? Deleted
    {
        add => ForEach(i => i.Deleted += value);
        remove => ForEach(i => i.Deleted -= value);
    }

    public event Action<Exception>? Error
    {
        add => ForEach(i => i.Error += value);
        remove => ForEach(i => i.Error -= value);
    }

    public bool HasSynced => _informers.All(i => i.HasSynced);

    public Task WaitForSyncAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(_informers.Select(i => i.WaitForSyncAsync(cancellationToken)));

    public Task RunAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(_informers.Select(i => Task.Run(() => i.RunAsync(cancellationToken), CancellationToken.None)));

    public JsonObject? Get(string? ns, string name) =>
        _clusterWide ? _informers[0].Get(ns, name) : _informers.Select(i => i.Get(ns, name)).FirstOrDefault(o => o is not null);

    /// <summary>Cached objects, optionally of one namespace only.</summary>
    public IReadOnlyList<JsonObject> List(string? ns = null) =>
        _informers.SelectMany(i => i.List()).Where(o => ns is null || o.Namespace() == ns).ToList();

    private void ForEach(Action<Informer> action)
    {
        foreach (var informer in _informers)
        {
            action(informer);
        }
    }
}
