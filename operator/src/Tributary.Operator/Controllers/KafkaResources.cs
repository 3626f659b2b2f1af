using Tributary.Kube;
using Tributary.Operator.Api;

namespace Tributary.Operator.Controllers;

/// <summary>Resource descriptors the KafkaCluster controller reads and writes.</summary>
public static class KafkaResources
{
    public static readonly ResourceDescriptor KafkaClusters = new(KafkaApi.Group, KafkaApi.Version, "kafkaclusters", "KafkaCluster", true);

    public static readonly ResourceDescriptor PersistentVolumes = new("", "v1", "persistentvolumes", "PersistentVolume", false);

    private static readonly Dictionary<(string ApiVersion, string Kind), ResourceDescriptor> Rendered = new[]
    {
        ResourceDescriptor.ServiceAccounts, ResourceDescriptor.Roles, ResourceDescriptor.RoleBindings, ResourceDescriptor.ConfigMaps,
        ResourceDescriptor.Services, ResourceDescriptor.StatefulSets, ResourceDescriptor.PodDisruptionBudgets,
    }.ToDictionary(d => (d.ApiVersion, d.Kind));

    /// <summary>Descriptor of a rendered object by its apiVersion and kind.</summary>
    public static ResourceDescriptor ForRendered(string apiVersion, string kind) =>
        Rendered.TryGetValue((apiVersion, kind), out var descriptor)
            ? descriptor
            : throw new InvalidOperationException($"the renderer produced {apiVersion} {kind}, which the controller does not know how to apply");
}
