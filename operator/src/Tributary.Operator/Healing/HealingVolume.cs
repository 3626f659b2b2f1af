namespace Tributary.Operator.Healing;

/// <summary>A broker's PersistentVolumeClaim and whether its volume still exists.</summary>
/// <param name="Pvc">Claim name.</param>
/// <param name="Lost">status.phase is Lost, or the bound PersistentVolume no longer exists.</param>
/// <param name="Terminating">The claim is already being deleted.</param>
public sealed record HealingVolume(string Pvc, bool Lost, bool Terminating);
