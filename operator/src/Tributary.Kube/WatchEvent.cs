using System.Text.Json.Nodes;

namespace Tributary.Kube;

/// <summary>One event of a watch stream. For bookmarks the object carries only metadata.resourceVersion.</summary>
public sealed record WatchEvent(WatchEventType Type, JsonObject Object);
