namespace Tributary.Kube;

/// <summary>Query options of a WATCH call.</summary>
public sealed record WatchOptions
{
    public string? LabelSelector { get; init; }
    public string? FieldSelector { get; init; }

    /// <summary>Start after this resourceVersion; empty or "0" asks for the current state as ADDED events first.</summary>
    public string? ResourceVersion { get; init; }

    public bool AllowWatchBookmarks { get; init; } = true;

    /// <summary>Server-side timeout after which the stream ends normally; null lets the server choose.</summary>
    public int? TimeoutSeconds { get; init; }
}
