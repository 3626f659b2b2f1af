using Tributary.Kube;

namespace Tributary.Operator.Controllers;

/// <summary>The informer caches the KafkaCluster controller reads instead of calling the API server.</summary>
public sealed class KafkaClusterCaches
{
    /// <summary>Every object a KafkaCluster owns carries this label (pods and claims through the StatefulSet selector).</summary>
    public const string OwnedSelector = "app.kubernetes.io/name=kafka";

    public KafkaClusterCaches(IKubeClient client, KafkaClusterControllerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var owned = new InformerOptions { LabelSelector = OwnedSelector, ResyncPeriod = TimeSpan.Zero, TimeProvider = options.TimeProvider };
        Clusters = new InformerSet(client, KafkaResources.KafkaClusters, options.Namespaces,
            new InformerOptions { ResyncPeriod = options.ResyncPeriod, TimeProvider = options.TimeProvider });
        StatefulSets = new InformerSet(client, ResourceDescriptor.StatefulSets, options.Namespaces, owned);
        Pods = new InformerSet(client, ResourceDescriptor.Pods, options.Namespaces, owned);
        Services = new InformerSet(client, ResourceDescriptor.Services, options.Namespaces, owned);
        ConfigMaps = new InformerSet(client, ResourceDescriptor.ConfigMaps, options.Namespaces, owned);
        Claims = new InformerSet(client, ResourceDescriptor.PersistentVolumeClaims, options.Namespaces, owned);
        Nodes = new InformerSet(client, ResourceDescriptor.Nodes, [], new InformerOptions { ResyncPeriod = TimeSpan.Zero, TimeProvider = options.TimeProvider });
    }

    public InformerSet Clusters { get; }

    public InformerSet StatefulSets { get; }

    public InformerSet Pods { get; }

    public InformerSet Services { get; }

    public InformerSet ConfigMaps { get; }

    public InformerSet Claims { get; }

    public InformerSet Nodes { get; }

    /// <summary>The owned kinds whose events map to the owning cluster.</summary>
    public IEnumerable<InformerSet> Owned => [StatefulSets, Pods, Services, ConfigMaps, Claims];

    public IEnumerable<InformerSet> All => [Clusters, .. Owned, Nodes];

    public bool HasSynced => All.All(i => i.HasSynced);

    /// <summary>The cache holding objects of a rendered kind, if that kind is cached.</summary>
    public InformerSet? For(ResourceDescriptor resource) =>
        resource == ResourceDescriptor.StatefulSets ? StatefulSets
        : resource == ResourceDescriptor.Services ? Services
        : resource == ResourceDescriptor.ConfigMaps ? ConfigMaps
        : null;
}
