namespace Tributary.Kube;

/// <summary>How dependents (objects whose ownerReferences point at the deleted object) are handled.</summary>
public enum DeletePropagation
{
    /// <summary>Delete the object now; the garbage collector deletes dependents afterwards.</summary>
    Background,

    /// <summary>Delete dependents first; the object goes when they are gone.</summary>
    Foreground,

    /// <summary>Keep dependents, removing their ownerReferences to the object.</summary>
    Orphan,
}
