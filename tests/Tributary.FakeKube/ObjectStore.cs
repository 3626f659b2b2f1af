using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Tributary.Kube;

namespace Tributary.FakeKube;

/// <summary>
/// In-memory object storage with the API server's semantics: a global resourceVersion counter,
/// generation on spec changes, optimistic concurrency, status subresources, server-side apply,
/// finalizers, ownerReference garbage collection, namespaces, and a bounded event history for watches.
/// One lock serialises every write, so watch events are totally ordered by resourceVersion.
/// </summary>
public sealed class ObjectStore
{
    private const string ForegroundFinalizer = "foregroundDeletion";
    private const string OrphanFinalizer = "orphan";

    private readonly Lock _lock = new();
    private readonly ResourceRegistry _registry;
    private readonly TimeProvider _time;
    private readonly int _historyLimit;
    private readonly Dictionary<string, SortedDictionary<string, JsonObject>> _objects = new(StringComparer.Ordinal);
    private readonly LinkedList<HistoryEntry> _history = new();
    private readonly List<WatchSubscription> _watchers = [];
    private readonly HashSet<string> _deletedUids = new(StringComparer.Ordinal);
    private long _resourceVersion;
    private long _evictedUpTo;
    private int _ipCounter;

    public ObjectStore(ResourceRegistry registry, TimeProvider? timeProvider = null, int historyLimit = 1000)
    {
        _registry = registry ?? throw new ArgumentNullException(nameof(registry));
        _time = timeProvider ?? TimeProvider.System;
        _historyLimit = Math.Max(1, historyLimit);
        foreach (var ns in new[] { "default", "kube-system", "kube-public" })
        {
            Create(ResourceDescriptor.Namespaces, new JsonObject { ["metadata"] = new JsonObject { ["name"] = ns } });
        }
    }

    public ResourceRegistry Registry => _registry;

    public string CurrentResourceVersion
    {
        get
        {
            lock (_lock)
            {
                return Rv(_resourceVersion);
            }
        }
    }

    /// <summary>Drops history so that watches from any earlier resourceVersion get 410 Gone (for tests).</summary>
    public void CompactHistory()
    {
        lock (_lock)
        {
            _history.Clear();
            _evictedUpTo = _resourceVersion;
        }
    }

    /// <summary>
    /// Ends every watch, runs <paramref name="changes"/> unseen by watchers, then drops the history, so that
    /// clients reconnecting from their last resourceVersion get 410 Gone and must relist (for tests).
    /// </summary>
    public void CloseWatchesAndCompact(Action? changes = null)
    {
        lock (_lock)
        {
            CloseWatches();
            changes?.Invoke();
            CompactHistory();
        }
    }

    // ---- reads ----

    public JsonObject Get(ResourceDescriptor resource, string? ns, string name) => Get(_registry.Get(resource), ns, name);

    public JsonObject? TryGet(ResourceDescriptor resource, string? ns, string name)
    {
        try
        {
            return Get(resource, ns, name);
        }
        catch (FakeApiException e) when (e.Code == 404)
        {
            return null;
        }
    }

    public JsonObject? TryGet(ResourceInfo info, string? ns, string name)
    {
        ArgumentNullException.ThrowIfNull(info);
        lock (_lock)
        {
            return Find(info, ns, name)?.DeepClone().AsObject();
        }
    }

    public JsonObject Get(ResourceInfo info, string? ns, string name)
    {
        ArgumentNullException.ThrowIfNull(info);
        lock (_lock)
        {
            return Find(info, ns, name)?.DeepClone().AsObject() ?? throw FakeApiException.NotFound(info, name);
        }
    }

    /// <summary>Lists matching objects in key order; a continue token resumes after the page's last key.</summary>
    public (List<JsonObject> Items, string ResourceVersion, string? Continue) List(
        ResourceInfo info, string? ns, LabelSelector? labels = null, FieldSelector? fields = null, int limit = 0, string? continueToken = null)
    {
        ArgumentNullException.ThrowIfNull(info);
        string? after = null;
        if (!string.IsNullOrEmpty(continueToken))
        {
            try
            {
                after = Encoding.UTF8.GetString(Convert.FromBase64String(continueToken));
            }
            catch (FormatException)
            {
                throw FakeApiException.BadRequest("continue key is not valid");
            }
        }
        lock (_lock)
        {
            var items = new List<JsonObject>();
            string? next = null;
            foreach (var (key, obj) in Bucket(info))
            {
                if (after is not null && string.CompareOrdinal(key, after) <= 0)
                {
                    continue;
                }
                if (info.Descriptor.Namespaced && ns is not null && obj.Namespace() != ns)
                {
                    continue;
                }
                if ((labels ?? LabelSelector.Everything).Matches(obj) && (fields is null || fields.Matches(obj)))
                {
                    if (limit > 0 && items.Count == limit)
                    {
                        next = Convert.ToBase64String(Encoding.UTF8.GetBytes(items[^1].Key()));
                        break;
                    }
                    items.Add(obj.DeepClone().AsObject());
                }
            }
            return (items, Rv(_resourceVersion), next);
        }
    }

    public IReadOnlyList<JsonObject> List(ResourceDescriptor resource, string? ns = null, string? labelSelector = null) =>
        List(_registry.Get(resource), ns, LabelSelector.Parse(labelSelector)).Items;

    // ---- watch ----

    /// <summary>
    /// Starts a watch. Empty or "0" resourceVersion replays the current state as ADDED; otherwise history
    /// after that version is replayed. Throws 410 Expired when the history no longer reaches back that far.
    /// </summary>
    public WatchSubscription Watch(ResourceInfo info, string? ns, LabelSelector labels, FieldSelector fields, string? resourceVersion)
    {
        ArgumentNullException.ThrowIfNull(info);
        var sub = new WatchSubscription(this, info, ns, labels, fields);
        lock (_lock)
        {
            if (string.IsNullOrEmpty(resourceVersion) || resourceVersion == "0")
            {
                foreach (var obj in Bucket(info).Values)
                {
                    if ((ns is null || obj.Namespace() == ns) && sub.Matches(obj))
                    {
                        sub.Write("ADDED", obj.ToJsonString());
                    }
                }
            }
            else
            {
                if (!long.TryParse(resourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var from))
                {
                    throw FakeApiException.BadRequest($"invalid resource version: {resourceVersion}");
                }
                if (from < _evictedUpTo)
                {
                    throw new FakeApiException(410, "Expired", $"too old resource version: {from} ({_evictedUpTo + 1})");
                }
                foreach (var entry in _history)
                {
                    if (entry.ResourceVersion > from)
                    {
                        sub.Offer(entry);
                    }
                }
            }
            _watchers.Add(sub);
        }
        return sub;
    }

    internal void QueueBookmark(WatchSubscription sub)
    {
        lock (_lock)
        {
            var info = sub.Info.Descriptor;
            sub.Write("BOOKMARK", new JsonObject
            {
                ["kind"] = info.Kind,
                ["apiVersion"] = info.ApiVersion,
                ["metadata"] = new JsonObject { ["resourceVersion"] = Rv(_resourceVersion) },
            }.ToJsonString());
        }
    }

    internal void Unsubscribe(WatchSubscription sub)
    {
        lock (_lock)
        {
            _watchers.Remove(sub);
        }
    }

    /// <summary>Ends every watch stream (used at shutdown).</summary>
    public void CloseWatches()
    {
        lock (_lock)
        {
            foreach (var w in _watchers)
            {
                w.Complete();
            }
            _watchers.Clear();
        }
    }

    // ---- writes ----

    public JsonObject Create(ResourceDescriptor resource, JsonObject obj) => Create(_registry.Get(resource), obj.Namespace(), obj);

    public JsonObject Create(ResourceInfo info, string? ns, JsonObject body, ApplyContext? apply = null, JsonObject? applied = null)
    {
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(body);
        lock (_lock)
        {
            var obj = (JsonObject)body.DeepClone();
            CheckKind(info, obj);
            var meta = obj.Metadata();
            ns = ResolveNamespace(info, ns, obj);
            var name = obj.Name();
            if (string.IsNullOrEmpty(name))
            {
                var prefix = meta.GetString("generateName");
                if (string.IsNullOrEmpty(prefix))
                {
                    throw FakeApiException.Invalid(info, "", "metadata.name: Required value: name or generateName is required");
                }
                name = prefix + RandomSuffix();
                meta["name"] = name;
            }
            if (Find(info, ns, name) is not null)
            {
                throw FakeApiException.AlreadyExists(info, name);
            }
            if (info.Descriptor.Namespaced)
            {
                var nsObj = Find(_registry.Get(ResourceDescriptor.Namespaces), null, ns!)
                    ?? throw new FakeApiException(404, "NotFound", $"namespaces \"{ns}\" not found",
                        new JsonObject { ["name"] = ns, ["kind"] = "namespaces" });
                if (nsObj.IsDeleting())
                {
                    throw new FakeApiException(403, "Forbidden",
                        $"{info.Descriptor.Plural} \"{name}\" is forbidden: unable to create new content in namespace {ns} because it is being terminated");
                }
            }
            obj["apiVersion"] = info.Descriptor.ApiVersion;
            obj["kind"] = info.Descriptor.Kind;
            meta.Remove("resourceVersion");
            meta.Remove("deletionTimestamp");
            meta["uid"] = Guid.NewGuid().ToString();
            meta["creationTimestamp"] = Now();
            meta["generation"] = 1;
            meta.Remove("managedFields");
            if (apply is not null && applied is not null)
            {
                ServerSideApply.RecordCreate(obj, applied, apply);
            }
            if (info.HasStatus)
            {
                // Status is owned by controllers and written through /status only.
                obj.Remove("status");
            }
            Defaults(info, obj);
            Commit(info, "ADDED", obj, null);
            OnCommitted(info, obj);
            return obj.DeepClone().AsObject();
        }
    }

    public JsonObject Update(ResourceDescriptor resource, JsonObject obj) => Update(_registry.Get(resource), obj.Namespace(), obj.Name() ?? "", obj, false);

    public JsonObject UpdateStatus(ResourceDescriptor resource, JsonObject obj) => Update(_registry.Get(resource), obj.Namespace(), obj.Name() ?? "", obj, true);

    /// <summary>PUT of the object or its status; a set metadata.resourceVersion must match (409 Conflict otherwise).</summary>
    public JsonObject Update(ResourceInfo info, string? ns, string name, JsonObject body, bool status)
    {
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(body);
        lock (_lock)
        {
            CheckKind(info, body);
            if (body.Name() is { Length: > 0 } bodyName && bodyName != name)
            {
                throw FakeApiException.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
            }
            if (info.Descriptor.Namespaced && body.Namespace() is { Length: > 0 } bodyNs && bodyNs != ns)
            {
                throw FakeApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
            }
            var current = Find(info, ns, name) ?? throw FakeApiException.NotFound(info, name);
            if (body.ResourceVersion() is { Length: > 0 } rv && rv != current.ResourceVersion())
            {
                throw FakeApiException.Conflict(info, name, "the object has been modified; please apply your changes to the latest version and try again");
            }
            return WriteLocked(info, current, body, status);
        }
    }

    /// <summary>JSON merge patch (strategic merge patches are treated the same way).</summary>
    public JsonObject Patch(ResourceInfo info, string? ns, string name, JsonObject patch, bool status)
    {
        ArgumentNullException.ThrowIfNull(info);
        lock (_lock)
        {
            var current = Find(info, ns, name) ?? throw FakeApiException.NotFound(info, name);
            if (patch["metadata"]?["resourceVersion"] is JsonValue rv && rv.ToString() != current.ResourceVersion())
            {
                throw FakeApiException.Conflict(info, name, "the object has been modified; please apply your changes to the latest version and try again");
            }
            var patched = JsonMergePatch.Apply(current, patch) as JsonObject ?? throw FakeApiException.BadRequest("patch must produce an object");
            CheckKind(info, patched);
            return WriteLocked(info, current, patched, status);
        }
    }

    /// <summary>Server-side apply; creates the object when missing (main resource only).</summary>
    public (JsonObject Object, bool Created) Apply(ResourceInfo info, string? ns, string name, JsonObject applied, string manager, bool force, string? subresource)
    {
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(applied);
        if (string.IsNullOrEmpty(manager))
        {
            throw FakeApiException.BadRequest("PATCH, application/apply-patch+yaml requires fieldManager");
        }
        lock (_lock)
        {
            CheckKind(info, applied);
            if (applied["apiVersion"] is null || applied["kind"] is null)
            {
                throw FakeApiException.BadRequest("apiVersion and kind must be set in an applied configuration");
            }
            if (applied.Name() is { Length: > 0 } bodyName && bodyName != name)
            {
                throw FakeApiException.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
            }
            var context = new ApplyContext(info, name, manager, force, subresource, info.Descriptor.ApiVersion, Now());
            var current = Find(info, ns, name);
            if (current is null)
            {
                if (subresource is not null)
                {
                    throw FakeApiException.NotFound(info, name);
                }
                var body = (JsonObject)applied.DeepClone();
                body.Metadata()["name"] = name;
                return (Create(info, ns, body, context, applied), true);
            }
            var merged = ServerSideApply.Apply(current, applied, context);
            return (WriteLocked(info, current, merged, subresource == "status", keepManagedFields: false), false);
        }
    }

    /// <summary>
    /// DELETE with preconditions and propagation. Returns the object as it now stands: with a
    /// deletionTimestamp when finalizers hold it, or its final state when it is gone.
    /// </summary>
    public JsonObject Delete(ResourceInfo info, string? ns, string name, DeletePropagation? propagation = null,
        string? preconditionUid = null, string? preconditionResourceVersion = null)
    {
        ArgumentNullException.ThrowIfNull(info);
        lock (_lock)
        {
            var current = Find(info, ns, name) ?? throw FakeApiException.NotFound(info, name);
            if (preconditionUid is not null && preconditionUid != current.Uid())
            {
                throw FakeApiException.Conflict(info, name,
                    $"Precondition failed: UID in precondition: {preconditionUid}, UID in object meta: {current.Uid()}");
            }
            if (preconditionResourceVersion is not null && preconditionResourceVersion != current.ResourceVersion())
            {
                throw FakeApiException.Conflict(info, name,
                    $"Precondition failed: ResourceVersion in precondition: {preconditionResourceVersion}, ResourceVersion in object meta: {current.ResourceVersion()}");
            }
            var result = DeleteLocked(info, current, propagation ?? DeletePropagation.Background);
            Sweep();
            return result.DeepClone().AsObject();
        }
    }

    public JsonObject Delete(ResourceDescriptor resource, string? ns, string name, DeletePropagation? propagation = null) =>
        Delete(_registry.Get(resource), ns, name, propagation);

    // ---- internals (all called with _lock held) ----

    private JsonObject WriteLocked(ResourceInfo info, JsonObject current, JsonObject incoming, bool status, bool keepManagedFields = true)
    {
        JsonObject next;
        if (status)
        {
            // /status writes change status only.
            next = (JsonObject)current.DeepClone();
            next["status"] = incoming["status"]?.DeepClone();
            if (!keepManagedFields)
            {
                next.Metadata()["managedFields"] = incoming["metadata"]?["managedFields"]?.DeepClone();
            }
        }
        else
        {
            next = (JsonObject)incoming.DeepClone();
            var meta = next.Metadata();
            var oldMeta = current.Metadata();
            foreach (var immutable in new[] { "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation", "name", "namespace" })
            {
                meta[immutable] = oldMeta[immutable]?.DeepClone();
            }
            if (keepManagedFields)
            {
                meta["managedFields"] = oldMeta["managedFields"]?.DeepClone();
            }
            if (info.HasStatus)
            {
                next["status"] = current["status"]?.DeepClone();
            }
            if (current.IsDeleting())
            {
                // Finalizers can only be removed from an object being deleted.
                var allowed = current.Finalizers().ToHashSet(StringComparer.Ordinal);
                if (next.Finalizers().Any(f => !allowed.Contains(f)))
                {
                    throw FakeApiException.Invalid(info, current.Name() ?? "", "metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted");
                }
            }
        }
        next["apiVersion"] = info.Descriptor.ApiVersion;
        next["kind"] = info.Descriptor.Kind;
        RemoveNullMetadata(next);
        next.Metadata()["resourceVersion"] = current.ResourceVersion();
        if (JsonNode.DeepEquals(next, current))
        {
            // A no-op write does not bump resourceVersion, so controllers do not loop on their own writes.
            return current.DeepClone().AsObject();
        }
        if (!status && SpecChanged(current, next))
        {
            next.Metadata()["generation"] = current.Generation() + 1;
        }
        Commit(info, "MODIFIED", next, current);
        OnCommitted(info, next);
        if (next.IsDeleting() && next.Finalizers().Count == 0)
        {
            var gone = RemoveLocked(info, next);
            Sweep();
            return gone.DeepClone().AsObject();
        }
        return next.DeepClone().AsObject();
    }

    private JsonObject DeleteLocked(ResourceInfo info, JsonObject current, DeletePropagation propagation)
    {
        if (current.IsDeleting())
        {
            return current;
        }
        var uid = current.Uid() ?? "";
        if (propagation == DeletePropagation.Orphan)
        {
            foreach (var (depInfo, dep) in Dependents(uid).ToList())
            {
                var updated = (JsonObject)dep.DeepClone();
                var refs = (JsonArray)updated.Metadata()["ownerReferences"]!;
                foreach (var r in refs.OfType<JsonObject>().Where(r => r.GetString("uid") == uid).ToList())
                {
                    refs.Remove(r);
                }
                if (refs.Count == 0)
                {
                    updated.Metadata().Remove("ownerReferences");
                }
                Commit(depInfo, "MODIFIED", updated, dep);
            }
        }
        var finalizers = current.Finalizers().ToList();
        var isNamespace = info.Key == "/namespaces";
        var foregroundDependents = propagation == DeletePropagation.Foreground ? Dependents(uid).ToList() : [];
        if (foregroundDependents.Count > 0)
        {
            finalizers.Add(ForegroundFinalizer);
        }
        if (finalizers.Count > 0 || isNamespace)
        {
            var marked = (JsonObject)current.DeepClone();
            var meta = marked.Metadata();
            meta["deletionTimestamp"] = Now();
            meta["deletionGracePeriodSeconds"] = 0;
            if (finalizers.Count > 0)
            {
                meta["finalizers"] = new JsonArray(finalizers.Select(f => (JsonNode?)JsonValue.Create(f)).ToArray());
            }
            if (isNamespace)
            {
                marked["status"] = new JsonObject { ["phase"] = "Terminating" };
            }
            Commit(info, "MODIFIED", marked, current);
            foreach (var (depInfo, dep) in foregroundDependents)
            {
                DeleteLocked(depInfo, dep, DeletePropagation.Foreground);
            }
            if (isNamespace)
            {
                var ns = current.Name();
                foreach (var (contentInfo, obj) in AllObjects().Where(o => o.Info.Descriptor.Namespaced && o.Obj.Namespace() == ns).ToList())
                {
                    DeleteLocked(contentInfo, obj, DeletePropagation.Background);
                }
            }
            return Find(info, current.Namespace(), current.Name()!) ?? marked;
        }
        return RemoveLocked(info, current);
    }

    private JsonObject RemoveLocked(ResourceInfo info, JsonObject current)
    {
        Bucket(info).Remove(current.Key());
        var gone = (JsonObject)current.DeepClone();
        _resourceVersion++;
        gone.Metadata()["resourceVersion"] = Rv(_resourceVersion);
        AppendHistory(new HistoryEntry(_resourceVersion, info.Key, gone.Namespace(), "DELETED", gone, null));
        if (current.Uid() is { } uid)
        {
            _deletedUids.Add(uid);
        }
        if (info.Key == "apiextensions.k8s.io/customresourcedefinitions")
        {
            var served = ResourceRegistry.FromCrd(current);
            if (_objects.TryGetValue(served.Key, out var bucket))
            {
                foreach (var obj in bucket.Values.ToList())
                {
                    RemoveLocked(served, obj);
                }
                _objects.Remove(served.Key);
            }
            _registry.Unregister(served.Descriptor.Group, served.Descriptor.Plural);
        }
        return gone;
    }

    /// <summary>Runs garbage collection, foreground completion and namespace finalization to a fixed point.</summary>
    private void Sweep()
    {
        bool changed;
        do
        {
            changed = false;
            foreach (var (info, obj) in AllObjects().ToList())
            {
                var current = Find(info, obj.Namespace(), obj.Name()!);
                if (current is null || current["metadata"]?["ownerReferences"] is not JsonArray refs || refs.Count == 0)
                {
                    continue;
                }
                var dangling = refs.OfType<JsonObject>().Where(r => r.GetString("uid") is { } u && _deletedUids.Contains(u)).ToList();
                if (dangling.Count == 0)
                {
                    continue;
                }
                if (dangling.Count == refs.Count)
                {
                    if (!current.IsDeleting())
                    {
                        DeleteLocked(info, current, DeletePropagation.Background);
                        changed = true;
                    }
                }
                else
                {
                    var updated = (JsonObject)current.DeepClone();
                    var updatedRefs = (JsonArray)updated.Metadata()["ownerReferences"]!;
                    foreach (var d in updatedRefs.OfType<JsonObject>().Where(r => _deletedUids.Contains(r.GetString("uid") ?? "")).ToList())
                    {
                        updatedRefs.Remove(d);
                    }
                    Commit(info, "MODIFIED", updated, current);
                    changed = true;
                }
            }
            foreach (var (info, obj) in AllObjects().Where(o => o.Obj.IsDeleting()).ToList())
            {
                var finalizers = obj.Finalizers();
                if (finalizers.Contains(ForegroundFinalizer) && !Dependents(obj.Uid() ?? "").Any())
                {
                    var updated = (JsonObject)obj.DeepClone();
                    var remaining = finalizers.Where(f => f != ForegroundFinalizer).ToList();
                    if (remaining.Count == 0)
                    {
                        RemoveLocked(info, obj);
                    }
                    else
                    {
                        updated.Metadata()["finalizers"] = new JsonArray(remaining.Select(f => (JsonNode?)JsonValue.Create(f)).ToArray());
                        Commit(info, "MODIFIED", updated, obj);
                    }
                    changed = true;
                }
                else if (finalizers.Contains(OrphanFinalizer))
                {
                    continue;
                }
                else if (info.Key == "/namespaces" && finalizers.Count == 0
                    && !AllObjects().Any(o => o.Info.Descriptor.Namespaced && o.Obj.Namespace() == obj.Name()))
                {
                    RemoveLocked(info, obj);
                    changed = true;
                }
            }
        }
        while (changed);
    }

    private IEnumerable<(ResourceInfo Info, JsonObject Obj)> Dependents(string ownerUid)
    {
        if (ownerUid.Length == 0)
        {
            yield break;
        }
        foreach (var (info, obj) in AllObjects())
        {
            if (obj["metadata"]?["ownerReferences"] is JsonArray refs && refs.OfType<JsonObject>().Any(r => r.GetString("uid") == ownerUid))
            {
                yield return (info, obj);
            }
        }
    }

    private IEnumerable<(ResourceInfo Info, JsonObject Obj)> AllObjects()
    {
        foreach (var (key, bucket) in _objects)
        {
            var info = _registry.All.FirstOrDefault(r => r.Key == key);
            if (info is null)
            {
                continue;
            }
            foreach (var obj in bucket.Values)
            {
                yield return (info, obj);
            }
        }
    }

    private void Commit(ResourceInfo info, string type, JsonObject obj, JsonObject? previous)
    {
        _resourceVersion++;
        obj.Metadata()["resourceVersion"] = Rv(_resourceVersion);
        Bucket(info)[obj.Key()] = obj;
        AppendHistory(new HistoryEntry(_resourceVersion, info.Key, obj.Namespace(), type, obj.DeepClone().AsObject(), previous?.DeepClone().AsObject()));
    }

    private void AppendHistory(HistoryEntry entry)
    {
        _history.AddLast(entry);
        while (_history.Count > _historyLimit)
        {
            _evictedUpTo = _history.First!.Value.ResourceVersion;
            _history.RemoveFirst();
        }
        foreach (var w in _watchers)
        {
            w.Offer(entry);
        }
    }

    private void OnCommitted(ResourceInfo info, JsonObject obj)
    {
        if (info.Key != "apiextensions.k8s.io/customresourcedefinitions" || obj.IsDeleting())
        {
            return;
        }
        _registry.Register(ResourceRegistry.FromCrd(obj));
        if (obj["status"]?["conditions"] is null)
        {
            // A real API server reports the CRD as accepted and established right away.
            var updated = (JsonObject)obj.DeepClone();
            var now = Now();
            updated["status"] = new JsonObject
            {
                ["conditions"] = new JsonArray(
                    Condition("NamesAccepted", "NoConflicts", now),
                    Condition("Established", "InitialNamesAccepted", now)),
                ["acceptedNames"] = obj["spec"]?["names"]?.DeepClone(),
                ["storedVersions"] = new JsonArray(ResourceRegistry.FromCrd(obj).Descriptor.Version),
            };
            Commit(info, "MODIFIED", updated, obj);
        }
    }

    private static JsonObject Condition(string type, string reason, string now) => new()
    {
        ["type"] = type,
        ["status"] = "True",
        ["reason"] = reason,
        ["lastTransitionTime"] = now,
        ["message"] = "",
    };

    private void Defaults(ResourceInfo info, JsonObject obj)
    {
        switch (info.Key)
        {
            case "/namespaces":
                obj["spec"] = new JsonObject { ["finalizers"] = new JsonArray("kubernetes") };
                obj["status"] = new JsonObject { ["phase"] = "Active" };
                break;
            case "/pods":
                obj["status"] = new JsonObject { ["phase"] = "Pending" };
                break;
            case "/persistentvolumeclaims":
                obj["status"] = new JsonObject { ["phase"] = "Pending" };
                break;
            case "/services":
                var spec = obj["spec"] as JsonObject ?? new JsonObject();
                obj["spec"] = spec;
                if (spec["clusterIP"] is null)
                {
                    _ipCounter++;
                    var ip = $"10.96.{(_ipCounter / 250) % 250}.{(_ipCounter % 250) + 1}";
                    spec["clusterIP"] = ip;
                    spec["clusterIPs"] = new JsonArray(ip);
                }
                spec["type"] ??= "ClusterIP";
                break;
        }
    }

    private static bool SpecChanged(JsonObject a, JsonObject b)
    {
        var x = (JsonObject)a.DeepClone();
        var y = (JsonObject)b.DeepClone();
        foreach (var o in new[] { x, y })
        {
            o.Remove("metadata");
            o.Remove("status");
        }
        return !JsonNode.DeepEquals(x, y);
    }

    private static void RemoveNullMetadata(JsonObject obj)
    {
        var meta = obj.Metadata();
        foreach (var key in meta.Where(kv => kv.Value is null).Select(kv => kv.Key).ToList())
        {
            meta.Remove(key);
        }
    }

    private static void CheckKind(ResourceInfo info, JsonObject obj)
    {
        if (obj.GetString("kind") is { } kind && kind != info.Descriptor.Kind)
        {
            throw FakeApiException.BadRequest($"the kind of the object ({kind}) does not match the kind on the URL ({info.Descriptor.Kind})");
        }
        if (obj.GetString("apiVersion") is { } apiVersion && apiVersion != info.Descriptor.ApiVersion)
        {
            throw FakeApiException.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({info.Descriptor.ApiVersion})");
        }
    }

    private static string? ResolveNamespace(ResourceInfo info, string? ns, JsonObject obj)
    {
        var meta = obj.Metadata();
        if (!info.Descriptor.Namespaced)
        {
            meta.Remove("namespace");
            return null;
        }
        var bodyNs = obj.Namespace();
        if (!string.IsNullOrEmpty(ns) && !string.IsNullOrEmpty(bodyNs) && ns != bodyNs)
        {
            throw FakeApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }
        var resolved = !string.IsNullOrEmpty(ns) ? ns : bodyNs;
        if (string.IsNullOrEmpty(resolved))
        {
            throw FakeApiException.BadRequest("a namespace is required for a namespaced resource");
        }
        meta["namespace"] = resolved;
        return resolved;
    }

    private JsonObject? Find(ResourceInfo info, string? ns, string name) =>
        Bucket(info).TryGetValue(info.Descriptor.Namespaced ? ns + "/" + name : name, out var obj) ? obj : null;

    private SortedDictionary<string, JsonObject> Bucket(ResourceInfo info)
    {
        if (!_objects.TryGetValue(info.Key, out var bucket))
        {
            bucket = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
            _objects[info.Key] = bucket;
        }
        return bucket;
    }

    private string Now() => KubeJson.FormatTime(_time.GetUtcNow());

    private static string Rv(long v) => v.ToString(CultureInfo.InvariantCulture);

    private static string RandomSuffix()
    {
        const string alphabet = "bcdfghjklmnpqrstvwxz2456789";
        return string.Create(5, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = alphabet[System.Security.Cryptography.RandomNumberGenerator.GetInt32(alphabet.Length)];
            }
        });
    }
}
