namespace Tributary.Operator.Rendering;

/// <summary>
/// One Kafka node of the layout: its stable node id, where it runs and which objects hold it.
/// The reconciler copies broker slots into status.brokers.
/// </summary>
/// <param name="Id">Kafka node.id.</param>
/// <param name="Role">Broker or dedicated controller.</param>
/// <param name="Zone">Zone name (<see cref="ZonePlanner.UnzonedName"/> when unpinned); null for dedicated controllers.</param>
/// <param name="ZoneIndex">Position of the zone in the resolved zone list; -1 for dedicated controllers.</param>
/// <param name="Ordinal">StatefulSet ordinal.</param>
/// <param name="StatefulSet">Name of the StatefulSet.</param>
/// <param name="Pod">Pod name.</param>
/// <param name="Pvc">Name of the data PersistentVolumeClaim.</param>
/// <param name="IsVoter">Member of the KRaft quorum.</param>
public sealed record NodeSlot(
    int Id, NodeRole Role, string? Zone, int ZoneIndex, int Ordinal, string StatefulSet, string Pod, string Pvc, bool IsVoter);
