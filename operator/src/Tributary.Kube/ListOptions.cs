namespace Tributary.Kube;

/// <summary>Query options of a LIST call.</summary>
public sealed record ListOptions
{
    public string? LabelSelector { get; init; }
    public string? FieldSelector { get; init; }

    /// <summary>Page size; 0 means no limit.</summary>
    public int Limit { get; init; }

    /// <summary>Continue token from the previous page.</summary>
    public string? Continue { get; init; }

    public string? ResourceVersion { get; init; }
}
