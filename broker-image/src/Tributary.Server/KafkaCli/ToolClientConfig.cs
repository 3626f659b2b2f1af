using System.Globalization;
using Tributary.Client;

namespace Tributary.Server.KafkaCli;

/// <summary>
/// The admin client settings a Kafka tool runs with: <c>--bootstrap-server</c> plus the client
/// properties of <c>--command-config</c>. Security settings our client cannot honour (TLS, SASL)
/// are refused rather than silently ignored, so nobody believes they are connected securely.
/// </summary>
public static class ToolClientConfig
{
    /// <summary>Client properties that only change logging or tuning we do not have: accepted and ignored.</summary>
    private static readonly HashSet<string> Ignored = new(StringComparer.Ordinal)
    {
        "client.dns.lookup", "connections.max.idle.ms", "metadata.max.age.ms", "receive.buffer.bytes", "send.buffer.bytes",
        "reconnect.backoff.ms", "reconnect.backoff.max.ms", "metric.reporters", "metrics.num.samples", "metrics.recording.level",
        "metrics.sample.window.ms", "auto.include.jmx.reporter", "enable.metrics.push",
    };

    public static ClientOptions Build(string bootstrapServers, IReadOnlyDictionary<string, string> properties, TextWriter warnings)
    {
        ArgumentNullException.ThrowIfNull(properties);
        ArgumentNullException.ThrowIfNull(warnings);
        var options = new ClientOptions
        {
            BootstrapServers = bootstrapServers,
            ClientId = "tributary-admin",
            Retries = 5,
        };
        foreach (var (key, value) in properties)
        {
            switch (key)
            {
                case "security.protocol":
                    if (!string.Equals(value, "PLAINTEXT", StringComparison.OrdinalIgnoreCase))
                    {
                        throw new CliUsageException($"security.protocol={value} is not supported by this tool: it connects over PLAINTEXT only (no TLS or SASL yet)");
                    }

                    break;
                case "client.id":
                    options.ClientId = value;
                    break;
                case "request.timeout.ms":
                case "default.api.timeout.ms":
                    options.RequestTimeout = TimeSpan.FromMilliseconds(Integer(key, value));
                    break;
                case "socket.connection.setup.timeout.ms":
                    options.ConnectTimeout = TimeSpan.FromMilliseconds(Integer(key, value));
                    break;
                case "retries":
                    options.Retries = Integer(key, value);
                    break;
                case "retry.backoff.ms":
                    options.RetryBackoff = TimeSpan.FromMilliseconds(Integer(key, value));
                    break;
                case "retry.backoff.max.ms":
                    options.RetryBackoffMax = TimeSpan.FromMilliseconds(Integer(key, value));
                    break;
                case "bootstrap.servers":
                    // --bootstrap-server wins, as in Kafka's tools.
                    break;
                default:
                    if (key.StartsWith("ssl.", StringComparison.Ordinal) || key.StartsWith("sasl.", StringComparison.Ordinal))
                    {
                        throw new CliUsageException($"{key} is not supported by this tool: it connects over PLAINTEXT only (no TLS or SASL yet)");
                    }

                    if (!Ignored.Contains(key))
                    {
                        warnings.WriteLine($"The configuration '{key}' was supplied but isn't a known config.");
                    }

                    break;
            }
        }

        return options;
    }

    private static int Integer(string key, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            ? ms
            : throw new CliUsageException($"Invalid value {value} for configuration {key}: Not a number of type INT");
}
