namespace Tributary.Operator.Healing;

/// <summary>A broker pod as the healer sees it.</summary>
/// <param name="Name">Pod name.</param>
/// <param name="NodeName">spec.nodeName, or null while unscheduled.</param>
/// <param name="Pvc">Name of its data PersistentVolumeClaim.</param>
/// <param name="Terminating">metadata.deletionTimestamp is set.</param>
public sealed record HealingPod(string Name, string? NodeName, string Pvc, bool Terminating);
