using System.Text.Json.Nodes;

namespace Tributary.Kube;

/// <summary>
/// The small Kubernetes API surface the operator needs, over untyped objects.
/// Every failure is a <see cref="KubeApiException"/> (410 is <see cref="ResourceVersionGoneException"/>).
/// </summary>
public interface IKubeClient
{
    /// <summary>Default namespace of the configuration (kubeconfig context or service account).</summary>
    string DefaultNamespace { get; }

    Task<JsonObject> GetAsync(ResourceDescriptor resource, string? ns, string name, CancellationToken cancellationToken = default);

    /// <summary>GET that returns null instead of throwing on 404.</summary>
    Task<JsonObject?> TryGetAsync(ResourceDescriptor resource, string? ns, string name, CancellationToken cancellationToken = default);

    /// <summary>One page of a LIST; null namespace lists across all namespaces.</summary>
    Task<KubeList> ListAsync(ResourceDescriptor resource, string? ns, ListOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Streams watch events until the server ends the stream or the token is cancelled.</summary>
    IAsyncEnumerable<WatchEvent> WatchAsync(ResourceDescriptor resource, string? ns, WatchOptions? options = null, CancellationToken cancellationToken = default);

    Task<JsonObject> CreateAsync(ResourceDescriptor resource, JsonObject obj, CancellationToken cancellationToken = default);

    /// <summary>PUT; the object's metadata.resourceVersion makes it conditional (409 Conflict when stale).</summary>
    Task<JsonObject> UpdateAsync(ResourceDescriptor resource, JsonObject obj, CancellationToken cancellationToken = default);

    /// <summary>PUT on the status subresource.</summary>
    Task<JsonObject> UpdateStatusAsync(ResourceDescriptor resource, JsonObject obj, CancellationToken cancellationToken = default);

    /// <summary>Server-side apply (application/apply-patch+yaml) of a full or partial object.</summary>
    Task<JsonObject> ApplyAsync(ResourceDescriptor resource, JsonObject obj, ApplyOptions? options = null, CancellationToken cancellationToken = default);

    Task<JsonObject> PatchAsync(ResourceDescriptor resource, string? ns, string name, JsonNode patch, PatchType type = PatchType.Merge, string? subresource = null, CancellationToken cancellationToken = default);

    /// <summary>DELETE; returns the object as left by the server (with deletionTimestamp when finalizers hold it) or null.</summary>
    Task<JsonObject?> DeleteAsync(ResourceDescriptor resource, string? ns, string name, DeleteOptions? options = null, CancellationToken cancellationToken = default);
}
