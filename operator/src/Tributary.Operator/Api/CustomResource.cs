using System.Text.Json.Serialization;

namespace Tributary.Operator.Api;

/// <summary>
/// Envelope shared by the four Tributary kinds: apiVersion, kind, metadata, spec and status.
/// The CRD generator reflects <typeparamref name="TSpec"/> and <typeparamref name="TStatus"/>.
/// </summary>
public abstract class CustomResource<TSpec, TStatus>
    where TSpec : class
    where TStatus : class
{
    protected CustomResource(string kind) => Kind = kind;

    [JsonPropertyOrder(-3)]
    public string ApiVersion { get; set; } = KafkaApi.ApiVersion;

    [JsonPropertyOrder(-2)]
    public string Kind { get; set; }

    [JsonPropertyOrder(-1)]
    public ObjectMeta Metadata { get; set; } = new();

    public required TSpec Spec { get; set; }

    public TStatus? Status { get; set; }
}
