using System.Text.Json.Serialization;

namespace Tributary.Operator.Api;

/// <summary>Client authentication on a listener.</summary>
public enum ListenerAuthentication
{
    [JsonStringEnumMemberName("none")]
    None,

    /// <summary>SASL/SCRAM-SHA-512 (MSK's SASL/SCRAM).</summary>
    [JsonStringEnumMemberName("scram-sha-512")]
    ScramSha512,

    /// <summary>Mutual TLS: clients present certificates. Needs tls: true.</summary>
    [JsonStringEnumMemberName("mtls")]
    Mtls,
}
