using System.Text;

namespace Tributary.Kube;

/// <summary>
/// Identifies a Kubernetes resource type (group, version, plural, kind, scope) and builds its REST paths.
/// The empty group is the legacy core group served under /api/v1.
/// </summary>
public sealed record ResourceDescriptor(string Group, string Version, string Plural, string Kind, bool Namespaced)
{
    /// <summary>apiVersion as written in objects: "v1" for core, otherwise "group/version".</summary>
    public string ApiVersion => Group.Length == 0 ? Version : Group + "/" + Version;

    /// <summary>Path prefix of the group/version: /api/v1 or /apis/group/version.</summary>
    public string GroupVersionPath => Group.Length == 0 ? "/api/" + Version : "/apis/" + Group + "/" + Version;

    /// <summary>Collection path; null namespace on a namespaced resource means all namespaces.</summary>
    public string CollectionPath(string? ns)
    {
        var sb = new StringBuilder(GroupVersionPath);
        if (Namespaced && !string.IsNullOrEmpty(ns))
        {
            sb.Append("/namespaces/").Append(Uri.EscapeDataString(ns));
        }
        sb.Append('/').Append(Plural);
        return sb.ToString();
    }

    /// <summary>Path of one object, optionally of one of its subresources (e.g. "status").</summary>
    public string ObjectPath(string? ns, string name, string? subresource = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (Namespaced && string.IsNullOrEmpty(ns))
        {
            throw new ArgumentException($"{Kind} is namespaced; a namespace is required.", nameof(ns));
        }
        var path = CollectionPath(ns) + "/" + Uri.EscapeDataString(name);
        return string.IsNullOrEmpty(subresource) ? path : path + "/" + subresource;
    }

    public override string ToString() => Group.Length == 0 ? $"{Plural}.{Version}" : $"{Plural}.{Version}.{Group}";

    public static readonly ResourceDescriptor Pods = new("", "v1", "pods", "Pod", true);
    public static readonly ResourceDescriptor Services = new("", "v1", "services", "Service", true);
    public static readonly ResourceDescriptor ConfigMaps = new("", "v1", "configmaps", "ConfigMap", true);
    public static readonly ResourceDescriptor Secrets = new("", "v1", "secrets", "Secret", true);
    public static readonly ResourceDescriptor ServiceAccounts = new("", "v1", "serviceaccounts", "ServiceAccount", true);
    public static readonly ResourceDescriptor PersistentVolumeClaims = new("", "v1", "persistentvolumeclaims", "PersistentVolumeClaim", true);
    public static readonly ResourceDescriptor Events = new("", "v1", "events", "Event", true);
    public static readonly ResourceDescriptor Nodes = new("", "v1", "nodes", "Node", false);
    public static readonly ResourceDescriptor Namespaces = new("", "v1", "namespaces", "Namespace", false);
    public static readonly ResourceDescriptor StatefulSets = new("apps", "v1", "statefulsets", "StatefulSet", true);
    public static readonly ResourceDescriptor Deployments = new("apps", "v1", "deployments", "Deployment", true);
    public static readonly ResourceDescriptor PodDisruptionBudgets = new("policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget", true);
    public static readonly ResourceDescriptor Roles = new("rbac.authorization.k8s.io", "v1", "roles", "Role", true);
    public static readonly ResourceDescriptor RoleBindings = new("rbac.authorization.k8s.io", "v1", "rolebindings", "RoleBinding", true);
    public static readonly ResourceDescriptor Leases = new("coordination.k8s.io", "v1", "leases", "Lease", true);
    public static readonly ResourceDescriptor CustomResourceDefinitions = new("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", false);
}
