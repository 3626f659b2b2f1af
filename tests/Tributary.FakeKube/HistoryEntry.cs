using System.Text.Json.Nodes;

namespace Tributary.FakeKube;

/// <summary>One committed change, kept in the bounded history that watches replay from.</summary>
internal sealed record HistoryEntry(long ResourceVersion, string ResourceKey, string? Namespace, string Type, JsonObject Object, JsonObject? Previous)
{
    /// <summary>The object serialized once at commit time, shared by every watcher.</summary>
    public string ObjectJson { get; } = Object.ToJsonString();
}
