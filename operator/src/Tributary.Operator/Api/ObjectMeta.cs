using System.Text.Json.Serialization;

namespace Tributary.Operator.Api;

/// <summary>
/// The part of Kubernetes ObjectMeta the operator reads. Unknown fields are ignored on read, and the
/// CRD schema treats metadata as the API server does (it is never reflected from this type).
/// </summary>
public sealed class ObjectMeta
{
    public string? Name { get; set; }

    [JsonPropertyName("namespace")]
    public string? Namespace { get; set; }

    public string? Uid { get; set; }

    public long? Generation { get; set; }

    public string? ResourceVersion { get; set; }

    public string? CreationTimestamp { get; set; }

    public string? DeletionTimestamp { get; set; }

    public Dictionary<string, string>? Labels { get; set; }

    public Dictionary<string, string>? Annotations { get; set; }

    public List<string>? Finalizers { get; set; }
}
