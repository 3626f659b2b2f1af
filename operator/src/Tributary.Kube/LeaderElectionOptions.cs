namespace Tributary.Kube;

/// <summary>Settings of Lease-based leader election (defaults match client-go's).</summary>
public sealed record LeaderElectionOptions
{
    public required string LeaseName { get; init; }

    public required string LeaseNamespace { get; init; }

    /// <summary>This candidate's identity (typically the pod name).</summary>
    public required string Identity { get; init; }

    /// <summary>How long a lease stays valid without renewal.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long the leader keeps retrying renewal before giving up leadership.</summary>
    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Interval between acquire/renew attempts.</summary>
    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
