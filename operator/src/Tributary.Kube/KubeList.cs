using System.Text.Json.Nodes;

namespace Tributary.Kube;

/// <summary>One page of a LIST: the items, the collection resourceVersion to watch from, and the continue token.</summary>
public sealed record KubeList(IReadOnlyList<JsonObject> Items, string ResourceVersion, string? Continue);
