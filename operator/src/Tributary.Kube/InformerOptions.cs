namespace Tributary.Kube;

/// <summary>What an informer watches and how often it resyncs.</summary>
public sealed record InformerOptions
{
    /// <summary>Namespace to watch; null watches all namespaces (or a cluster-scoped resource).</summary>
    public string? Namespace { get; init; }

    public string? LabelSelector { get; init; }

    public string? FieldSelector { get; init; }

    /// <summary>Every period, every cached object is re-delivered as an update (old == new); zero disables.</summary>
    public TimeSpan ResyncPeriod { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Page size of the initial list.</summary>
    public int PageSize { get; init; } = 500;

    /// <summary>Server-side watch timeout; the informer rewatches from the last resourceVersion when it ends.</summary>
    public int WatchTimeoutSeconds { get; init; } = 300;

    /// <summary>Delay before retrying after a failed list or watch.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
