namespace Tributary.Kube;

/// <summary>PATCH body formats.</summary>
public enum PatchType
{
    /// <summary>application/merge-patch+json (RFC 7386).</summary>
    Merge,

    /// <summary>application/strategic-merge-patch+json.</summary>
    StrategicMerge,

    /// <summary>application/json-patch+json (RFC 6902).</summary>
    Json,
}
