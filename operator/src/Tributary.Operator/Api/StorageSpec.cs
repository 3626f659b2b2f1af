using System.ComponentModel;
using Tributary.Operator.Crds;

namespace Tributary.Operator.Api;

/// <summary>The persistent volume claim of each broker.</summary>
[Description("Persistent volume of each broker (one PersistentVolumeClaim per broker).")]
public sealed class StorageSpec
{
    [Description("Volume size, e.g. 100Gi. It can grow (when the storage class allows expansion) but never shrink.")]
    public required Quantity Size { get; set; }

    [Description("StorageClass of the volumes; the cluster default when omitted. Cannot be changed after creation.")]
    [SchemaMaxLength(253)]
    [Immutable("storage.storageClassName cannot be changed after creation")]
    public string? StorageClassName { get; set; }

    [Description("Delete the volumes when the KafkaCluster is deleted. False keeps the data.")]
    [SchemaDefault(false)]
    public bool DeleteClaim { get; set; }
}
