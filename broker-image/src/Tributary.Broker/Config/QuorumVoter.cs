using System.Globalization;

namespace Tributary.Broker.Config;

/// <summary>One entry of <c>controller.quorum.voters</c>: <c>id@host:port</c>.</summary>
public sealed record QuorumVoter(int Id, string Host, int Port)
{
    public static QuorumVoter Parse(string text, string key)
    {
        string trimmed = text.Trim();
        int at = trimmed.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0 || !int.TryParse(trimmed.AsSpan(0, at), NumberStyles.None, CultureInfo.InvariantCulture, out int id))
        {
            throw new ConfigException(key, text, "expected id@host:port with a non-negative integer id");
        }

        var (host, port) = HostPort.Parse(trimmed[(at + 1)..], key, text);
        return new QuorumVoter(id, host, port);
    }

    public override string ToString() => $"{Id}@{HostPort.Format(Host, Port)}";
}
