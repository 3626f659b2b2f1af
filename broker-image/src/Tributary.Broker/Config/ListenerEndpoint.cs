namespace Tributary.Broker.Config;

/// <summary>
/// One entry of <c>listeners</c> / <c>advertised.listeners</c>: <c>NAME://host:port</c>.
/// An empty host means all interfaces (for <c>listeners</c>) or "this machine's name" (advertised).
/// IPv6 hosts are written in brackets: <c>PLAINTEXT://[::1]:9092</c>.
/// </summary>
public sealed record ListenerEndpoint(string Name, string Host, int Port)
{
    /// <summary>Parses one <c>NAME://host:port</c>; <paramref name="key"/> names the config key in errors.</summary>
    public static ListenerEndpoint Parse(string text, string key)
    {
        string trimmed = text.Trim();
        int sep = trimmed.IndexOf("://", StringComparison.Ordinal);
        if (sep <= 0)
        {
            throw new ConfigException(key, text, "expected NAME://host:port");
        }

        string name = trimmed[..sep].ToUpperInvariant();
        if (!IsValidName(name))
        {
            throw new ConfigException(key, text, $"listener name '{name}' must contain only letters, digits, '_' and '-'");
        }

        var (host, port) = HostPort.Parse(trimmed[(sep + 3)..], key, text);
        return new ListenerEndpoint(name, host, port);
    }

    /// <summary>True for the empty host or a wildcard address: bind on every interface.</summary>
    public bool IsAllInterfaces => Host.Length == 0 || Host == "0.0.0.0" || Host == "::";

    public override string ToString() => $"{Name}://{HostPort.Format(Host, Port)}";

    private static bool IsValidName(string name)
    {
        foreach (char c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_' && c != '-')
            {
                return false;
            }
        }

        return name.Length > 0;
    }
}
