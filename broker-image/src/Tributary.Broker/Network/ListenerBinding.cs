using Tributary.Broker.Config;

namespace Tributary.Broker.Network;

/// <summary>A listener to open: its config entry and the security protocol its name maps to.</summary>
public sealed record ListenerBinding(ListenerEndpoint Endpoint, SecurityProtocol SecurityProtocol)
{
    /// <summary>Every configured listener of <paramref name="config"/> with its protocol.</summary>
    public static IReadOnlyList<ListenerBinding> FromConfig(BrokerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.Listeners.Select(l => new ListenerBinding(l, config.ListenerSecurityProtocols[l.Name])).ToArray();
    }
}
