using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tributary.Kube;

/// <summary>HTTP implementation of <see cref="IKubeClient"/> over HttpClient.</summary>
public sealed class KubeHttpClient : IKubeClient, IDisposable
{
    private static readonly JsonSerializerOptions CompactJson = new() { WriteIndented = false };

    private readonly KubeConfig _config;
    private readonly HttpClient _http;

    public KubeHttpClient(KubeConfig config, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        _config = config;
        _http = new HttpClient(handler ?? CreateHandler(config), disposeHandler: true)
        {
            BaseAddress = config.Server,
            // Watches stream for minutes; per-call timeouts come from RequestTimeout instead.
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("tributary-operator/1.0");
    }

    public string DefaultNamespace => _config.Namespace;

    /// <summary>TLS handler honouring the CA bundle, client certificate and insecure flag of the config.</summary>
    public static SocketsHttpHandler CreateHandler(KubeConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            SslOptions = new SslClientAuthenticationOptions(),
        };
        if (config.ClientCertificate is not null)
        {
            handler.SslOptions.ClientCertificates = new X509CertificateCollection { config.ClientCertificate };
        }
        if (config.InsecureSkipTlsVerify)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        }
        else if (config.CaCertificates.Count > 0)
        {
            var anchors = config.CaCertificates;
            handler.SslOptions.RemoteCertificateValidationCallback = (_, cert, _, errors) =>
                ValidateWithCustomRoots(cert, errors, anchors);
        }
        return handler;
    }

    private static bool ValidateWithCustomRoots(X509Certificate? cert, SslPolicyErrors errors, IReadOnlyList<X509Certificate2> anchors)
    {
        if (cert is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0
            || (errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0)
        {
            return false;
        }
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        foreach (var anchor in anchors)
        {
            chain.ChainPolicy.CustomTrustStore.Add(anchor);
        }
        using var leaf = new X509Certificate2(cert);
        return chain.Build(leaf);
    }

    public async Task<JsonObject> GetAsync(ResourceDescriptor resource, string? ns, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return await SendForObjectAsync(HttpMethod.Get, resource.ObjectPath(ns, name), null, null, cancellationToken).ConfigureAwait(false);
    }

    public async Task<JsonObject?> TryGetAsync(ResourceDescriptor resource, string? ns, string name, CancellationToken cancellationToken = default)
    {
        try
        {
            return await GetAsync(resource, ns, name, cancellationToken).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            return null;
        }
    }

    public async Task<KubeList> ListAsync(ResourceDescriptor resource, string? ns, ListOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(resource);
        options ??= new ListOptions();
        var query = new QueryBuilder()
            .Add("labelSelector", options.LabelSelector)
            .Add("fieldSelector", options.FieldSelector)
            .Add("limit", options.Limit > 0 ? options.Limit.ToString(System.Globalization.CultureInfo.InvariantCulture) : null)
            .Add("continue", options.Continue)
            .Add("resourceVersion", options.ResourceVersion);
        var list = await SendForObjectAsync(HttpMethod.Get, resource.CollectionPath(ns) + query, null, null, cancellationToken).ConfigureAwait(false);
        var items = new List<JsonObject>();
        if (list["items"] is JsonArray array)
        {
            foreach (var item in array.OfType<JsonObject>())
            {
                // List items omit apiVersion/kind; fill them so items look like single GETs.
                item["apiVersion"] ??= resource.ApiVersion;
                item["kind"] ??= resource.Kind;
                items.Add(item);
            }
        }
        var meta = list["metadata"] as JsonObject;
        var cont = meta?.GetString("continue");
        return new KubeList(items, meta?.GetString("resourceVersion") ?? "", string.IsNullOrEmpty(cont) ? null : cont);
    }

    public async IAsyncEnumerable<WatchEvent> WatchAsync(ResourceDescriptor resource, string? ns, WatchOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(resource);
        options ??= new WatchOptions();
        var query = new QueryBuilder()
            .Add("watch", "true")
            .Add("labelSelector", options.LabelSelector)
            .Add("fieldSelector", options.FieldSelector)
            .Add("resourceVersion", options.ResourceVersion)
            .Add("allowWatchBookmarks", options.AllowWatchBookmarks ? "true" : null)
            .Add("timeoutSeconds", options.TimeoutSeconds?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var response = await SendAsync(HttpMethod.Get, resource.CollectionPath(ns) + query, null, null,
            HttpCompletionOption.ResponseHeadersRead, null, cancellationToken).ConfigureAwait(false);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (true)
        {
            var line = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (line is null)
            {
                yield break;
            }
            if (line.Length == 0)
            {
                continue;
            }
            yield return ParseWatchLine(line);
        }
    }

    /// <summary>Parses one newline-delimited watch event; ERROR events become exceptions (410 -> ResourceVersionGoneException).</summary>
    public static WatchEvent ParseWatchLine(string line)
    {
        JsonObject evt;
        try
        {
            evt = KubeJson.ParseObject(line);
        }
        catch (JsonException e)
        {
            throw new KubeApiException("Malformed watch event: " + e.Message, e);
        }
        var obj = evt["object"] as JsonObject ?? throw new KubeApiException("Watch event without an object.");
        return evt.GetString("type") switch
        {
            "ADDED" => new WatchEvent(WatchEventType.Added, obj),
            "MODIFIED" => new WatchEvent(WatchEventType.Modified, obj),
            "DELETED" => new WatchEvent(WatchEventType.Deleted, obj),
            "BOOKMARK" => new WatchEvent(WatchEventType.Bookmark, obj),
            "ERROR" => throw KubeApiException.FromStatus(500, obj, null),
            var other => throw new KubeApiException($"Unknown watch event type '{other}'."),
        };
    }

    public Task<JsonObject> CreateAsync(ResourceDescriptor resource, JsonObject obj, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(obj);
        var path = resource.CollectionPath(NamespaceOf(resource, obj)) + new QueryBuilder().Add("fieldManager", ApplyOptions.DefaultFieldManager);
        return SendForObjectAsync(HttpMethod.Post, path, Serialize(resource, obj), "application/json", cancellationToken);
    }

    public Task<JsonObject> UpdateAsync(ResourceDescriptor resource, JsonObject obj, CancellationToken cancellationToken = default) =>
        Put(resource, obj, null, cancellationToken);

    public Task<JsonObject> UpdateStatusAsync(ResourceDescriptor resource, JsonObject obj, CancellationToken cancellationToken = default) =>
        Put(resource, obj, "status", cancellationToken);

    private Task<JsonObject> Put(ResourceDescriptor resource, JsonObject obj, string? subresource, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(obj);
        var path = resource.ObjectPath(NamespaceOf(resource, obj), NameOf(obj), subresource)
            + new QueryBuilder().Add("fieldManager", ApplyOptions.DefaultFieldManager);
        return SendForObjectAsync(HttpMethod.Put, path, Serialize(resource, obj), "application/json", cancellationToken);
    }

    public Task<JsonObject> ApplyAsync(ResourceDescriptor resource, JsonObject obj, ApplyOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(obj);
        options ??= new ApplyOptions();
        var path = resource.ObjectPath(NamespaceOf(resource, obj), NameOf(obj), options.Subresource)
            + new QueryBuilder().Add("fieldManager", options.FieldManager).Add("force", options.Force ? "true" : null);
        // JSON is valid YAML, so the apply body is the object's JSON.
        return SendForObjectAsync(HttpMethod.Patch, path, Serialize(resource, obj), "application/apply-patch+yaml", cancellationToken);
    }

    public Task<JsonObject> PatchAsync(ResourceDescriptor resource, string? ns, string name, JsonNode patch, PatchType type = PatchType.Merge,
        string? subresource = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(patch);
        var contentType = type switch
        {
            PatchType.Merge => "application/merge-patch+json",
            PatchType.StrategicMerge => "application/strategic-merge-patch+json",
            PatchType.Json => "application/json-patch+json",
            _ => throw new ArgumentOutOfRangeException(nameof(type)),
        };
        var path = resource.ObjectPath(ns, name, subresource) + new QueryBuilder().Add("fieldManager", ApplyOptions.DefaultFieldManager);
        return SendForObjectAsync(HttpMethod.Patch, path, patch.ToJsonString(CompactJson), contentType, cancellationToken);
    }

    public async Task<JsonObject?> DeleteAsync(ResourceDescriptor resource, string? ns, string name, DeleteOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(resource);
        options ??= new DeleteOptions();
        var body = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "DeleteOptions" };
        if (options.PropagationPolicy is { } policy)
        {
            body["propagationPolicy"] = policy.ToString();
        }
        if (options.GracePeriodSeconds is { } grace)
        {
            body["gracePeriodSeconds"] = grace;
        }
        if (options.PreconditionUid is not null || options.PreconditionResourceVersion is not null)
        {
            var pre = new JsonObject();
            if (options.PreconditionUid is not null)
            {
                pre["uid"] = options.PreconditionUid;
            }
            if (options.PreconditionResourceVersion is not null)
            {
                pre["resourceVersion"] = options.PreconditionResourceVersion;
            }
            body["preconditions"] = pre;
        }
        var result = await SendForObjectAsync(HttpMethod.Delete, resource.ObjectPath(ns, name), body.ToJsonString(CompactJson),
            "application/json", cancellationToken).ConfigureAwait(false);
        // A Status "Success" means the object is gone; anything else is the object as left behind.
        return result.GetString("kind") == "Status" ? null : result;
    }

    private async Task<JsonObject> SendForObjectAsync(HttpMethod method, string path, string? body, string? contentType, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_config.RequestTimeout);
        using var response = await SendAsync(method, path, body, contentType, HttpCompletionOption.ResponseContentRead, timeout, cancellationToken)
            .ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
        try
        {
            return KubeJson.ParseObject(text);
        }
        catch (JsonException e)
        {
            throw new KubeApiException($"{method} {path}: response is not a JSON object: {e.Message}", e);
        }
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? body, string? contentType,
        HttpCompletionOption completion, CancellationTokenSource? timeout, CancellationToken cancellationToken)
    {
        var token = timeout?.Token ?? cancellationToken;
        for (var attempt = 0; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, path);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            if (_config.Token?.GetToken() is { Length: > 0 } bearer)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
            }
            if (body is not null)
            {
                request.Content = new StringContent(body, Encoding.UTF8);
                request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType ?? "application/json");
            }
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, completion, token).ConfigureAwait(false);
            }
            catch (HttpRequestException e)
            {
                throw new KubeApiException($"{method} {path}: {e.Message}", e);
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                throw new KubeApiException($"{method} {path} timed out after {_config.RequestTimeout}.", e);
            }
            if (response.IsSuccessStatusCode)
            {
                return response;
            }
            using (response)
            {
                // A rotated service-account token shows up as 401: reread it once and retry.
                if (response.StatusCode == HttpStatusCode.Unauthorized && attempt == 0 && _config.Token is not null)
                {
                    _config.Token.Invalidate();
                    continue;
                }
                var text = await response.Content.ReadAsStringAsync(token).ConfigureAwait(false);
                JsonObject? status = null;
                try
                {
                    status = JsonNode.Parse(text) as JsonObject;
                }
                catch (JsonException)
                {
                    // Not a Status body (e.g. a proxy error page); the raw text becomes the message.
                }
                throw KubeApiException.FromStatus((int)response.StatusCode, status?.GetString("kind") == "Status" ? status : null, text);
            }
        }
    }

    private static string Serialize(ResourceDescriptor resource, JsonObject obj)
    {
        // Fill apiVersion/kind when the caller left them out; the server requires them.
        if (obj["apiVersion"] is null || obj["kind"] is null)
        {
            obj = (JsonObject)obj.DeepClone();
            obj["apiVersion"] ??= resource.ApiVersion;
            obj["kind"] ??= resource.Kind;
        }
        return obj.ToJsonString(CompactJson);
    }

    private string? NamespaceOf(ResourceDescriptor resource, JsonObject obj) =>
        resource.Namespaced ? obj.Namespace() is { Length: > 0 } ns ? ns : _config.Namespace : null;

    private static string NameOf(JsonObject obj) =>
        obj.Name() is { Length: > 0 } name ? name : throw new ArgumentException("Object has no metadata.name.", nameof(obj));

    public void Dispose() => _http.Dispose();
}
