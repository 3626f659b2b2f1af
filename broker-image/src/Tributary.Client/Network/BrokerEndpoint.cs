using System.Globalization;

namespace Tributary.Client.Network;

/// <summary>Where a broker listens.</summary>
public readonly record struct BrokerEndpoint(string Host, int Port)
{
    public override string ToString() => Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";

    /// <summary>Parses "host:port" or "[v6addr]:port".</summary>
    public static BrokerEndpoint Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var text = value.Trim();
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || colon == text.Length - 1
            || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            || port is 0 or > 65535)
        {
            throw new FormatException($"'{value}' is not host:port");
        }

        var host = text[..colon];
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }

        return new BrokerEndpoint(host, port);
    }

    /// <summary>Parses a comma-separated list, skipping empty entries.</summary>
    public static IReadOnlyList<BrokerEndpoint> ParseList(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Parse).ToArray();
    }
}
