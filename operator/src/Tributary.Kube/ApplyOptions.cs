namespace Tributary.Kube;

/// <summary>Options of a server-side apply.</summary>
public sealed record ApplyOptions
{
    public const string DefaultFieldManager = "tributary-operator";

    public string FieldManager { get; init; } = DefaultFieldManager;

    /// <summary>Take ownership of fields other managers own instead of failing with a conflict.</summary>
    public bool Force { get; init; } = true;

    /// <summary>Apply to a subresource (e.g. "status") instead of the main resource.</summary>
    public string? Subresource { get; init; }
}
