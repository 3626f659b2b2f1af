using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Tributary.Kube;

namespace Tributary.FakeKube;

/// <summary>Maps Kubernetes REST requests onto the <see cref="ObjectStore"/>.</summary>
internal sealed class ApiRequestHandler(ObjectStore store, FakeApiServerOptions options, TimeProvider time, Func<string> serverAddress)
{
    private readonly ResourceRegistry _registry = store.Registry;

    public async Task HandleAsync(HttpContext context)
    {
        try
        {
            await DispatchAsync(context).ConfigureAwait(false);
        }
        catch (FakeApiException e)
        {
            await WriteJsonAsync(context, e.Code, e.ToStatus()).ConfigureAwait(false);
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            await WriteJsonAsync(context, 400, FakeApiException.Status(400, "BadRequest", "invalid request body: " + e.Message)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // Client went away (typically a finished watch).
        }
    }

    private async Task DispatchAsync(HttpContext context)
    {
        var path = context.Request.Path.Value?.TrimEnd('/') ?? "";
        var method = context.Request.Method;
        switch (path)
        {
            case "/version":
                await WriteJsonAsync(context, 200, Discovery.Version()).ConfigureAwait(false);
                return;
            case "/healthz" or "/readyz" or "/livez":
                context.Response.ContentType = "text/plain";
                await context.Response.WriteAsync("ok").ConfigureAwait(false);
                return;
            case "/api":
                await WriteJsonAsync(context, 200, Discovery.CoreVersions(serverAddress())).ConfigureAwait(false);
                return;
            case "/apis":
                await WriteJsonAsync(context, 200, Discovery.GroupList(_registry)).ConfigureAwait(false);
                return;
            case "/openapi/v3":
                await WriteJsonAsync(context, 200, OpenApiDocuments.Index(_registry)).ConfigureAwait(false);
                return;
        }
        if (path.StartsWith("/openapi/v3/", StringComparison.Ordinal))
        {
            var parts = path["/openapi/v3/".Length..].Split('/');
            var doc = parts switch
            {
                ["api", var v] => OpenApiDocuments.GroupVersion(_registry, "", v),
                ["apis", var g, var v] => OpenApiDocuments.GroupVersion(_registry, g, v),
                _ => null,
            };
            await WriteJsonAsync(context, 200, doc ?? throw NotFoundPath()).ConfigureAwait(false);
            return;
        }

        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        string group, version;
        string[] rest;
        if (segments.Length >= 2 && segments[0] == "api")
        {
            (group, version, rest) = ("", segments[1], segments[2..]);
        }
        else if (segments.Length >= 2 && segments[0] == "apis")
        {
            if (segments.Length == 2)
            {
                await WriteJsonAsync(context, 200, Discovery.GroupDocument(_registry, segments[1]) ?? throw NotFoundPath()).ConfigureAwait(false);
                return;
            }
            (group, version, rest) = (segments[1], segments[2], segments[3..]);
        }
        else
        {
            throw NotFoundPath();
        }

        if (rest.Length == 0)
        {
            await WriteJsonAsync(context, 200, Discovery.ResourceList(_registry, group, version) ?? throw NotFoundPath()).ConfigureAwait(false);
            return;
        }

        string? ns = null;
        string plural;
        string? name;
        string? sub;
        if (rest[0] == "namespaces" && rest.Length >= 3 && _registry.Find(group, version, rest[2]) is { Descriptor.Namespaced: true })
        {
            ns = rest[1];
            plural = rest[2];
            name = rest.Length > 3 ? rest[3] : null;
            sub = rest.Length > 4 ? rest[4] : null;
            if (rest.Length > 5)
            {
                throw NotFoundPath();
            }
        }
        else
        {
            plural = rest[0];
            name = rest.Length > 1 ? rest[1] : null;
            sub = rest.Length > 2 ? rest[2] : null;
            if (rest.Length > 3)
            {
                throw NotFoundPath();
            }
        }
        var info = _registry.Find(group, version, plural) ?? throw NotFoundPath();
        name = name is null ? null : Uri.UnescapeDataString(name);
        if (method != "GET" && context.Request.Query.ContainsKey("dryRun"))
        {
            // Refuse rather than silently persisting what the caller meant as a dry run.
            throw FakeApiException.BadRequest("dryRun is not supported by the fake API server");
        }
        if (sub == "scale" && name is not null && Discovery.HasScale(info))
        {
            await ScaleAsync(context, info, ns, name).ConfigureAwait(false);
            return;
        }
        if (sub is not null && (sub != "status" || !info.HasStatus))
        {
            throw NotFoundPath();
        }
        var query = context.Request.Query;

        switch (method)
        {
            case "GET" when name is null:
                if (IsTrue(query["watch"]))
                {
                    await WatchAsync(context, info, ns).ConfigureAwait(false);
                    return;
                }
                var limit = int.TryParse(query["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out var l) ? l : 0;
                var (items, rv, cont) = store.List(info, ns, LabelSelector.Parse(query["labelSelector"]), FieldSelector.Parse(query["fieldSelector"]),
                    limit, query["continue"]);
                if (WantsTable(context))
                {
                    var table = TableConverter.ToTable(info, items, rv, time.GetUtcNow());
                    if (cont is not null)
                    {
                        table.Metadata()["continue"] = cont;
                    }
                    await WriteJsonAsync(context, 200, table).ConfigureAwait(false);
                    return;
                }
                var listMeta = new JsonObject { ["resourceVersion"] = rv };
                if (cont is not null)
                {
                    listMeta["continue"] = cont;
                }
                await WriteJsonAsync(context, 200, new JsonObject
                {
                    ["kind"] = info.Descriptor.Kind + "List",
                    ["apiVersion"] = info.Descriptor.ApiVersion,
                    ["metadata"] = listMeta,
                    ["items"] = new JsonArray(items.Select(i => (JsonNode?)i).ToArray()),
                }).ConfigureAwait(false);
                return;
            case "GET":
                var obj = store.Get(info, ns, name);
                await WriteJsonAsync(context, 200, WantsTable(context) ? TableConverter.ToTable(info, [obj], obj.ResourceVersion() ?? "", time.GetUtcNow()) : obj)
                    .ConfigureAwait(false);
                return;
            case "POST" when name is null:
                await WriteJsonAsync(context, 201, store.Create(info, ns, await ReadObjectAsync(context).ConfigureAwait(false))).ConfigureAwait(false);
                return;
            case "PUT" when name is not null:
                await WriteJsonAsync(context, 200, store.Update(info, ns, name, await ReadObjectAsync(context).ConfigureAwait(false), sub == "status"))
                    .ConfigureAwait(false);
                return;
            case "PATCH" when name is not null:
                await PatchAsync(context, info, ns, name, sub).ConfigureAwait(false);
                return;
            case "DELETE" when name is not null:
                await DeleteAsync(context, info, ns, name).ConfigureAwait(false);
                return;
            case "DELETE":
                await DeleteCollectionAsync(context, info, ns).ConfigureAwait(false);
                return;
            default:
                throw new FakeApiException(405, "MethodNotAllowed", $"the server does not allow this method on the requested resource");
        }
    }

    private async Task PatchAsync(HttpContext context, ResourceInfo info, string? ns, string name, string? sub)
    {
        var contentType = context.Request.ContentType ?? "";
        var mediaType = contentType.Split(';')[0].Trim();
        var body = await ReadBodyAsync(context).ConfigureAwait(false);
        switch (mediaType)
        {
            case "application/apply-patch+yaml":
                var applied = KubeYaml.ParseObject(body);
                var query = context.Request.Query;
                var (result, created) = store.Apply(info, ns, name, applied, query["fieldManager"].ToString(), IsTrue(query["force"]), sub);
                await WriteJsonAsync(context, created ? 201 : 200, result).ConfigureAwait(false);
                return;
            case "application/merge-patch+json" or "application/strategic-merge-patch+json":
                var patch = KubeJson.ParseObject(body);
                await WriteJsonAsync(context, 200, store.Patch(info, ns, name, patch, sub == "status")).ConfigureAwait(false);
                return;
            case "application/json-patch+json":
                var ops = JsonNode.Parse(body) as JsonArray ?? throw FakeApiException.BadRequest("a JSON patch must be an array");
                var current = store.Get(info, ns, name);
                var patched = JsonPatch.Apply(current, ops);
                await WriteJsonAsync(context, 200, store.Update(info, ns, name, patched, sub == "status")).ConfigureAwait(false);
                return;
            default:
                throw new FakeApiException(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml");
        }
    }

    /// <summary>The autoscaling/v1 Scale view of spec.replicas (kubectl scale).</summary>
    private async Task ScaleAsync(HttpContext context, ResourceInfo info, string? ns, string name)
    {
        var obj = store.Get(info, ns, name);
        int? desired = null;
        switch (context.Request.Method)
        {
            case "GET":
                break;
            case "PUT":
                desired = (int?)(await ReadObjectAsync(context).ConfigureAwait(false))["spec"]?["replicas"].AsInt64();
                break;
            case "PATCH":
                var body = await ReadBodyAsync(context).ConfigureAwait(false);
                var patched = JsonMergePatch.Apply(ToScale(obj), KubeYaml.ParseObject(body)) as JsonObject;
                desired = (int?)patched?["spec"]?["replicas"].AsInt64();
                break;
            default:
                throw new FakeApiException(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
        }
        if (desired is { } replicas)
        {
            obj = store.Patch(info, ns, name, new JsonObject { ["spec"] = new JsonObject { ["replicas"] = replicas } }, false);
        }
        await WriteJsonAsync(context, 200, ToScale(obj)).ConfigureAwait(false);
    }

    private static JsonObject ToScale(JsonObject obj)
    {
        var meta = obj.Metadata();
        var selector = obj["spec"]?["selector"]?["matchLabels"] is JsonObject match
            ? string.Join(",", match.Select(kv => kv.Key + "=" + kv.Value))
            : "";
        return new JsonObject
        {
            ["apiVersion"] = "autoscaling/v1",
            ["kind"] = "Scale",
            ["metadata"] = new JsonObject
            {
                ["name"] = meta["name"]?.DeepClone(),
                ["namespace"] = meta["namespace"]?.DeepClone(),
                ["uid"] = meta["uid"]?.DeepClone(),
                ["resourceVersion"] = meta["resourceVersion"]?.DeepClone(),
                ["creationTimestamp"] = meta["creationTimestamp"]?.DeepClone(),
            },
            ["spec"] = new JsonObject { ["replicas"] = obj["spec"]?["replicas"]?.DeepClone() ?? 1 },
            ["status"] = new JsonObject { ["replicas"] = obj["status"]?["replicas"]?.DeepClone() ?? 0, ["selector"] = selector },
        };
    }

    private async Task DeleteAsync(HttpContext context, ResourceInfo info, string? ns, string name)
    {
        var (propagation, uid, rv) = await ReadDeleteOptionsAsync(context).ConfigureAwait(false);
        var result = store.Delete(info, ns, name, propagation, uid, rv);
        if (store.TryGet(info, ns, name) is { } remaining)
        {
            await WriteJsonAsync(context, 200, remaining).ConfigureAwait(false);
            return;
        }
        var status = FakeApiException.Status(200, "", "", new JsonObject
        {
            ["name"] = name,
            ["group"] = info.Descriptor.Group,
            ["kind"] = info.Descriptor.Plural,
            ["uid"] = result.Uid(),
        });
        status.Remove("reason");
        status.Remove("message");
        await WriteJsonAsync(context, 200, status).ConfigureAwait(false);
    }

    private async Task DeleteCollectionAsync(HttpContext context, ResourceInfo info, string? ns)
    {
        var (propagation, _, _) = await ReadDeleteOptionsAsync(context).ConfigureAwait(false);
        var query = context.Request.Query;
        var (items, rv, _) = store.List(info, ns, LabelSelector.Parse(query["labelSelector"]), FieldSelector.Parse(query["fieldSelector"]));
        var deleted = new JsonArray();
        foreach (var item in items)
        {
            try
            {
                deleted.Add(store.Delete(info, item.Namespace(), item.Name()!, propagation));
            }
            catch (FakeApiException e) when (e.Code == 404)
            {
                // Already removed by garbage collection of an earlier item.
            }
        }
        await WriteJsonAsync(context, 200, new JsonObject
        {
            ["kind"] = info.Descriptor.Kind + "List",
            ["apiVersion"] = info.Descriptor.ApiVersion,
            ["metadata"] = new JsonObject { ["resourceVersion"] = rv },
            ["items"] = deleted,
        }).ConfigureAwait(false);
    }

    private static async Task<(DeletePropagation? Policy, string? Uid, string? ResourceVersion)> ReadDeleteOptionsAsync(HttpContext context)
    {
        DeletePropagation? policy = ParsePolicy(context.Request.Query["propagationPolicy"]);
        string? uid = null, rv = null;
        var body = await ReadBodyAsync(context).ConfigureAwait(false);
        if (!string.IsNullOrWhiteSpace(body))
        {
            var options = KubeJson.ParseObject(body);
            policy = ParsePolicy(options.GetString("propagationPolicy")) ?? policy;
            if (options["orphanDependents"] is JsonValue orphan && orphan.TryGetValue<bool>(out var o) && o)
            {
                policy ??= DeletePropagation.Orphan;
            }
            if (options["preconditions"] is JsonObject pre)
            {
                uid = pre.GetString("uid");
                rv = pre.GetString("resourceVersion");
            }
        }
        return (policy, uid, rv);
    }

    private static DeletePropagation? ParsePolicy(string? text) => text switch
    {
        null or "" => null,
        "Background" => DeletePropagation.Background,
        "Foreground" => DeletePropagation.Foreground,
        "Orphan" => DeletePropagation.Orphan,
        _ => throw FakeApiException.BadRequest($"unknown propagationPolicy {text}"),
    };

    private async Task WatchAsync(HttpContext context, ResourceInfo info, string? ns)
    {
        var query = context.Request.Query;
        WatchSubscription sub;
        var response = context.Response;
        try
        {
            sub = store.Watch(info, ns, LabelSelector.Parse(query["labelSelector"]), FieldSelector.Parse(query["fieldSelector"]), query["resourceVersion"]);
        }
        catch (FakeApiException e) when (e.Code == 410)
        {
            // Like the real API server: the stream starts fine and carries one ERROR event.
            response.StatusCode = 200;
            response.ContentType = "application/json";
            await response.WriteAsync("{\"type\":\"ERROR\",\"object\":" + e.ToStatus().ToJsonString() + "}\n", context.RequestAborted).ConfigureAwait(false);
            return;
        }
        using (sub)
        {
            response.StatusCode = 200;
            response.ContentType = "application/json";
            await response.StartAsync(context.RequestAborted).ConfigureAwait(false);
            await response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);

            using var lifetime = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
            if (int.TryParse(query["timeoutSeconds"], NumberStyles.None, CultureInfo.InvariantCulture, out var timeoutSeconds) && timeoutSeconds > 0)
            {
                lifetime.CancelAfter(TimeSpan.FromSeconds(timeoutSeconds));
            }
            using var bookmarks = IsTrue(query["allowWatchBookmarks"])
                ? time.CreateTimer(_ => sub.Bookmark(), null, options.BookmarkInterval, options.BookmarkInterval)
                : null;
            var reader = sub.Lines;
            try
            {
                while (await reader.WaitToReadAsync(lifetime.Token).ConfigureAwait(false))
                {
                    while (reader.TryRead(out var line))
                    {
                        await response.WriteAsync(line + "\n", lifetime.Token).ConfigureAwait(false);
                    }
                    await response.Body.FlushAsync(lifetime.Token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (lifetime.IsCancellationRequested)
            {
                // Timeout or client disconnect ends the stream normally.
            }
        }
    }

    private static async Task<JsonObject> ReadObjectAsync(HttpContext context)
    {
        var mediaType = (context.Request.ContentType ?? "application/json").Split(';')[0].Trim();
        if (mediaType is not ("application/json" or "application/yaml" or "text/yaml" or ""))
        {
            // Protobuf/CBOR bodies: 415 makes client-go fall back to JSON.
            throw new FakeApiException(415, "UnsupportedMediaType",
                $"the body of the request was in an unknown format - accepted media types include: application/json, application/yaml");
        }
        var body = await ReadBodyAsync(context).ConfigureAwait(false);
        var trimmed = body.TrimStart();
        return trimmed.StartsWith('{') ? KubeJson.ParseObject(body) : KubeYaml.ParseObject(body);
    }

    private static async Task<string> ReadBodyAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        return await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
    }

    private static bool WantsTable(HttpContext context) =>
        context.Request.Headers.Accept.ToString().Contains("as=Table", StringComparison.Ordinal);

    private static bool IsTrue(Microsoft.Extensions.Primitives.StringValues value) => value == "true" || value == "1";

    private static FakeApiException NotFoundPath() => new(404, "NotFound", "the server could not find the requested resource");

    private static async Task WriteJsonAsync(HttpContext context, int status, JsonObject body)
    {
        if (context.Response.HasStarted)
        {
            return;
        }
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted).ConfigureAwait(false);
    }
}
