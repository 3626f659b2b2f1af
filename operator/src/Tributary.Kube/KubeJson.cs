using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Tributary.Kube;

/// <summary>JSON conventions of the Kubernetes API (camelCase, nulls omitted) and typed conversion helpers.</summary>
public static class KubeJson
{
    /// <summary>Options for typed Kubernetes objects: camelCase names, enums as strings, nulls omitted.</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    /// <summary>Deserializes an untyped object into a typed model.</summary>
    public static T To<T>(this JsonNode node) =>
        node.Deserialize<T>(Options) ?? throw new JsonException($"Object did not deserialize to {typeof(T).Name}.");

    /// <summary>Serializes a typed model into an untyped object.</summary>
    public static JsonObject ToJsonObject<T>(T value) =>
        JsonSerializer.SerializeToNode(value, Options) as JsonObject
        ?? throw new JsonException($"{typeof(T).Name} did not serialize to a JSON object.");

    /// <summary>Parses a JSON object; throws JsonException if the text is not an object.</summary>
    public static JsonObject ParseObject(string json) =>
        JsonNode.Parse(json) as JsonObject ?? throw new JsonException("Expected a JSON object.");

    /// <summary>Formats a timestamp as Kubernetes Time (RFC 3339, second precision, UTC).</summary>
    public static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Formats a timestamp as Kubernetes MicroTime (RFC 3339 with microseconds, UTC).</summary>
    public static string FormatMicroTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Parses Time or MicroTime; returns null when absent or malformed.</summary>
    public static DateTimeOffset? ParseTime(string? text) =>
        DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal, out var t)
            ? t
            : null;
}
