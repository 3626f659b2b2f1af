namespace Tributary.Broker.Config;

/// <summary>Converts between <see cref="SecurityProtocol"/> and Kafka's spelling (PLAINTEXT, SASL_SSL...).</summary>
public static class SecurityProtocolNames
{
    public static bool TryParse(string text, out SecurityProtocol protocol)
    {
        switch (text.Trim().ToUpperInvariant())
        {
            case "PLAINTEXT": protocol = SecurityProtocol.Plaintext; return true;
            case "SSL": protocol = SecurityProtocol.Ssl; return true;
            case "SASL_PLAINTEXT": protocol = SecurityProtocol.SaslPlaintext; return true;
            case "SASL_SSL": protocol = SecurityProtocol.SaslSsl; return true;
            default: protocol = default; return false;
        }
    }

    public static string ToKafkaName(this SecurityProtocol protocol) => protocol switch
    {
        SecurityProtocol.Plaintext => "PLAINTEXT",
        SecurityProtocol.Ssl => "SSL",
        SecurityProtocol.SaslPlaintext => "SASL_PLAINTEXT",
        SecurityProtocol.SaslSsl => "SASL_SSL",
        _ => throw new ArgumentOutOfRangeException(nameof(protocol)),
    };
}
