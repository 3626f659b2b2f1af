namespace Tributary.Operator.Crds;

/// <summary>
/// Marks a C# type as the root of a custom resource and names it for the CRD generator
/// (the kubebuilder idea: the types are the source of truth, the YAML is derived).
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class CustomResourceAttribute : Attribute
{
    public CustomResourceAttribute(string group, string version, string kind, string plural)
    {
        Group = group;
        Version = version;
        Kind = kind;
        Plural = plural;
    }

    public string Group { get; }

    public string Version { get; }

    public string Kind { get; }

    public string Plural { get; }

    /// <summary>Singular name; defaults to the lower-cased kind.</summary>
    public string? Singular { get; init; }

    /// <summary>Comma-separated short names, e.g. "kc".</summary>
    public string ShortNames { get; init; } = "";

    /// <summary>Comma-separated categories, e.g. "tributary" so `kubectl get tributary` lists them.</summary>
    public string Categories { get; init; } = "";
}
