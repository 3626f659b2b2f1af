using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Tributary.Kube;

namespace Tributary.FakeKube;

/// <summary>The resource types the fake server knows: built-ins an operator uses plus CRD-defined ones.</summary>
public sealed class ResourceRegistry
{
    private readonly ConcurrentDictionary<string, ResourceInfo> _byKey = new(StringComparer.Ordinal);

    public ResourceRegistry()
    {
        Register(new ResourceInfo(ResourceDescriptor.Pods, "pod", true, ["po"]));
        Register(new ResourceInfo(ResourceDescriptor.Services, "service", true, ["svc"]));
        Register(new ResourceInfo(ResourceDescriptor.ConfigMaps, "configmap", false, ["cm"]));
        Register(new ResourceInfo(ResourceDescriptor.Secrets, "secret", false, []));
        Register(new ResourceInfo(ResourceDescriptor.ServiceAccounts, "serviceaccount", false, ["sa"]));
        Register(new ResourceInfo(ResourceDescriptor.PersistentVolumeClaims, "persistentvolumeclaim", true, ["pvc"]));
        Register(new ResourceInfo(ResourceDescriptor.Events, "event", false, ["ev"]));
        Register(new ResourceInfo(ResourceDescriptor.Nodes, "node", true, ["no"]));
        Register(new ResourceInfo(ResourceDescriptor.Namespaces, "namespace", true, ["ns"]));
        Register(new ResourceInfo(ResourceDescriptor.StatefulSets, "statefulset", true, ["sts"]));
        Register(new ResourceInfo(ResourceDescriptor.Deployments, "deployment", true, ["deploy"]));
        Register(new ResourceInfo(ResourceDescriptor.PodDisruptionBudgets, "poddisruptionbudget", true, ["pdb"]));
        Register(new ResourceInfo(ResourceDescriptor.Roles, "role", false, []));
        Register(new ResourceInfo(ResourceDescriptor.RoleBindings, "rolebinding", false, []));
        Register(new ResourceInfo(ResourceDescriptor.Leases, "lease", false, []));
        Register(new ResourceInfo(ResourceDescriptor.CustomResourceDefinitions, "customresourcedefinition", true, ["crd", "crds"]));
    }

    public void Register(ResourceInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        _byKey[info.Key] = info;
    }

    public void Unregister(string group, string plural) => _byKey.TryRemove(group + "/" + plural, out _);

    public IReadOnlyList<ResourceInfo> All => _byKey.Values.OrderBy(r => r.Key, StringComparer.Ordinal).ToList();

    public ResourceInfo? Find(string group, string version, string plural) =>
        _byKey.TryGetValue(group + "/" + plural, out var info) && info.Descriptor.Version == version ? info : null;

    public ResourceInfo Get(ResourceDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        return _byKey.TryGetValue(descriptor.Group + "/" + descriptor.Plural, out var info)
            ? info
            : throw new FakeApiException(404, "NotFound", $"the server could not find the requested resource ({descriptor})");
    }

    /// <summary>Resource of an object by its apiVersion and kind, if served.</summary>
    public ResourceInfo? FindByKind(string apiVersion, string kind)
    {
        return _byKey.Values.FirstOrDefault(r => r.Descriptor.ApiVersion == apiVersion && r.Descriptor.Kind == kind);
    }

    /// <summary>All (group, versions) pairs for discovery.</summary>
    public IReadOnlyList<(string Group, string Version)> GroupVersions() =>
        _byKey.Values.Select(r => (r.Descriptor.Group, r.Descriptor.Version)).Distinct().OrderBy(g => g.Group, StringComparer.Ordinal).ToList();

    /// <summary>The served resource of a CRD object (storage version, or the first served one).</summary>
    public static ResourceInfo FromCrd(JsonObject crd)
    {
        ArgumentNullException.ThrowIfNull(crd);
        var spec = crd["spec"] as JsonObject ?? throw FakeApiException.BadRequest("CustomResourceDefinition has no spec");
        var group = spec.GetString("group") ?? throw FakeApiException.BadRequest("spec.group is required");
        var names = spec["names"] as JsonObject ?? throw FakeApiException.BadRequest("spec.names is required");
        var plural = names.GetString("plural") ?? throw FakeApiException.BadRequest("spec.names.plural is required");
        var kind = names.GetString("kind") ?? throw FakeApiException.BadRequest("spec.names.kind is required");
        var singular = names.GetString("singular") ?? kind.ToLowerInvariant();
        var shortNames = names["shortNames"] is JsonArray sn ? sn.Select(n => n?.GetValue<string>() ?? "").Where(s => s.Length > 0).ToList() : [];
        var namespaced = spec.GetString("scope") != "Cluster";
        var versions = (spec["versions"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        var version = versions.FirstOrDefault(v => v["storage"] is JsonValue s && s.TryGetValue<bool>(out var b) && b)
            ?? versions.FirstOrDefault()
            ?? throw FakeApiException.BadRequest("spec.versions must not be empty");
        var versionName = version.GetString("name") ?? throw FakeApiException.BadRequest("spec.versions[].name is required");
        var hasStatus = version["subresources"] is JsonObject sub && sub["status"] is not null;
        var columns = (version["additionalPrinterColumns"] as JsonArray)?.OfType<JsonObject>()
            .Select(c => (c.GetString("name") ?? "", c.GetString("jsonPath") ?? ""))
            .Where(c => c.Item1.Length > 0 && c.Item2.Length > 0)
            .ToList() ?? [];
        return new ResourceInfo(new ResourceDescriptor(group, versionName, plural, kind, namespaced), singular, hasStatus, shortNames)
        {
            PrinterColumns = columns,
        };
    }
}
