namespace Tributary.FakeKube;

/// <summary>Knobs of the fake API server.</summary>
public sealed record FakeApiServerOptions
{
    /// <summary>How many change events watches can replay; older resourceVersions get 410 Gone.</summary>
    public int HistoryLimit { get; init; } = 1000;

    /// <summary>Interval of BOOKMARK events on watches that allow them.</summary>
    public TimeSpan BookmarkInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Run the fake StatefulSet/Deployment controller and kubelet in the background.</summary>
    public bool SimulateWorkloads { get; init; }

    /// <summary>How often the background workload simulation reconciles.</summary>
    public TimeSpan WorkloadInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
