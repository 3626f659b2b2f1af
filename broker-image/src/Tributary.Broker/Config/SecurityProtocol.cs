namespace Tributary.Broker.Config;

/// <summary>Kafka's security protocols, the right-hand side of <c>listener.security.protocol.map</c>.</summary>
public enum SecurityProtocol
{
    Plaintext,
    Ssl,
    SaslPlaintext,
    SaslSsl,
}
