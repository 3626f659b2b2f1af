namespace Tributary.Operator.Controllers;

/// <summary>Settings of the KafkaCluster controller.</summary>
public sealed record KafkaClusterControllerOptions
{
    /// <summary>Namespaces to watch; empty watches all.</summary>
    public IReadOnlyList<string> Namespaces { get; init; } = [];

    /// <summary>Broker image repository for clusters without spec.image.</summary>
    public string DefaultImageRepository { get; init; } = "ghcr.io/tributary/tributary";

    /// <summary>Broker version (image tag) for clusters without spec.version.</summary>
    public string DefaultVersion { get; init; } = "0.1.0";

    /// <summary>Every cluster is reconciled at least this often, even without events.</summary>
    public TimeSpan ResyncPeriod { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How soon a roll step is looked at again (probe refused, or waiting for a pod).</summary>
    public TimeSpan RollRetryInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Concurrent reconciles (never two for the same cluster).</summary>
    public int Workers { get; init; } = 2;

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
