namespace Tributary.Operator.Crds;

/// <summary>
/// A list of objects keyed by the given fields (x-kubernetes-list-type: map), so server-side apply
/// merges entries by key and the API server refuses duplicate keys.
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class ListMapKeysAttribute : Attribute
{
    public ListMapKeysAttribute(params string[] keys) => Keys = keys;

    public IReadOnlyList<string> Keys { get; }
}
