using System.Globalization;

namespace Tributary.Broker.Config;

/// <summary>Parses and formats <c>host:port</c> pairs (IPv6 in brackets) for config values.</summary>
public static class HostPort
{
    /// <summary>Parses <paramref name="text"/>; errors name <paramref name="key"/> and <paramref name="fullValue"/>.</summary>
    public static (string Host, int Port) Parse(string text, string key, string fullValue)
    {
        string trimmed = text.Trim();
        int colon = trimmed.LastIndexOf(':');
        if (colon < 0)
        {
            throw new ConfigException(key, fullValue, $"'{text}' is missing ':port'");
        }

        string host = trimmed[..colon];
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }
        else if (host.Contains(':', StringComparison.Ordinal))
        {
            throw new ConfigException(key, fullValue, "IPv6 hosts must be written in brackets, e.g. [::1]:9093");
        }

        string portText = trimmed[(colon + 1)..];
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port > 65535)
        {
            throw new ConfigException(key, fullValue, $"port '{portText}' is not a number between 0 and 65535");
        }

        return (host, port);
    }

    public static string Format(string host, int port) =>
        host.Contains(':', StringComparison.Ordinal) ? $"[{host}]:{port}" : $"{host}:{port}";
}
