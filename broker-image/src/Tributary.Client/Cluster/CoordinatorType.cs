namespace Tributary.Client.Cluster;

/// <summary>FindCoordinator key types.</summary>
public enum CoordinatorType : sbyte
{
    Group = 0,
    Transaction = 1,
}
