using System.Text.Json.Serialization;
using Tributary.Operator.Crds;

namespace Tributary.Operator.Api;

/// <summary>
/// A Kubernetes resource quantity ("100Gi", "500m", 2). Kept as the text the user wrote so the
/// operator never rewrites it (a rewrite would show as drift in Argo CD); parse with
/// <see cref="Validation.QuantityParser"/>.
/// </summary>
[IntOrString(Pattern = QuantityPattern)]
[JsonConverter(typeof(QuantityJsonConverter))]
public readonly record struct Quantity(string Value)
{
    /// <summary>The grammar Kubernetes itself publishes for resource.Quantity.</summary>
    public const string QuantityPattern =
        @"^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$";

    public override string ToString() => Value;

    public static implicit operator Quantity(string value) => new(value);
}
