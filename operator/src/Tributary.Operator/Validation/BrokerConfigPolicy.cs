namespace Tributary.Operator.Validation;

/// <summary>
/// Broker configuration keys the operator owns. A user value for them would break node identity,
/// listeners or the quorum, so spec.config may not set them.
/// </summary>
public static class BrokerConfigPolicy
{
    private static readonly HashSet<string> ForbiddenKeys = new(StringComparer.Ordinal)
    {
        "node.id", "broker.id", "process.roles", "cluster.id",
        "listeners", "advertised.listeners", "listener.security.protocol.map",
        "controller.quorum.voters", "controller.quorum.bootstrap.servers", "controller.listener.names",
        "inter.broker.listener.name", "security.inter.broker.protocol",
        "log.dirs", "log.dir", "metadata.log.dir", "broker.rack",
    };

    // Families of keys that configure operator-owned listeners or file locations.
    private static readonly string[] ForbiddenPrefixes =
    [
        "listener.name.", "advertised.", "ssl.keystore.", "ssl.truststore.", "sasl.enabled.mechanisms",
    ];

    /// <summary>True when spec.config may not set <paramref name="key"/>.</summary>
    public static bool IsForbidden(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return ForbiddenKeys.Contains(key) || ForbiddenPrefixes.Any(p => key.StartsWith(p, StringComparison.Ordinal));
    }
}
