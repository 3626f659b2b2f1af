using System.Net;
using Tributary.Broker.Config;
using Tributary.Broker.Handlers.Admin;
using Tributary.Broker.Metadata;
using Tributary.Broker.Metadata.Controller;
using Tributary.Protocol.Messages;
using Tributary.Protocol.Primitives;

namespace Tributary.Broker.Cluster;

/// <summary>What <see cref="BrokerLifecycleManager"/> registers and how often it heartbeats.</summary>
public sealed record BrokerLifecycleOptions
{
    public required int NodeId { get; init; }

    public required string ClusterId { get; init; }

    /// <summary>New on every process start, so the controller can tell a restart from a duplicate.</summary>
    public Guid IncarnationId { get; init; } = Guid.NewGuid();

    public string? Rack { get; init; }

    /// <summary>The broker's advertised (non-controller) listeners.</summary>
    public IReadOnlyList<BrokerRegistrationRequest.Listener> Listeners { get; init; } = [];

    /// <summary>The metadata.version range this broker supports.</summary>
    public short MinMetadataVersion { get; init; } = 1;

    public short MaxMetadataVersion { get; init; } = QuorumController.MetadataVersionLevel;

    /// <summary>Directory ids of the log dirs (from their meta.properties).</summary>
    public IReadOnlyList<Guid> LogDirs { get; init; } = [];

    /// <summary><c>broker.heartbeat.interval.ms</c>.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long one registration or heartbeat may wait for the controller before it is tried again.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Pause before a registration the controller refused is sent again.</summary>
    public TimeSpan RegistrationRetryBackoff { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// The options for <paramref name="config"/>: its advertised listeners minus the controller
    /// listeners (ports from <paramref name="boundEndpoint"/> where the config says port 0 or no host),
    /// rack, log dir ids from meta.properties, and <c>broker.heartbeat.interval.ms</c>.
    /// </summary>
    public static BrokerLifecycleOptions FromConfig(BrokerConfig config, string clusterId, Func<string, IPEndPoint?>? boundEndpoint = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(clusterId);
        var listeners = new List<BrokerRegistrationRequest.Listener>();
        foreach (var endpoint in config.AdvertisedListeners.Where(l => !config.ControllerListenerNames.Contains(l.Name, StringComparer.Ordinal)))
        {
            var bound = boundEndpoint?.Invoke(endpoint.Name);
            var host = endpoint.Host.Length > 0 ? endpoint.Host : AdvertisedEndpoints.HostFor(bound, null);
            var port = endpoint.Port != 0 ? endpoint.Port : bound?.Port ?? 0;
            listeners.Add(new BrokerRegistrationRequest.Listener
            {
                Name = endpoint.Name,
                Host = host,
                Port = (ushort)port,
                SecurityProtocol = (short)config.ListenerSecurityProtocols.GetValueOrDefault(endpoint.Name, SecurityProtocol.Plaintext),
            });
        }

        var dirs = new List<Guid>();
        foreach (var dir in config.LogDirs)
        {
            if (MetaProperties.Read(dir)?.DirectoryId is { } text && KafkaUuid.TryParse(text, out var id))
            {
                dirs.Add(id);
            }
        }

        return new BrokerLifecycleOptions
        {
            NodeId = config.NodeId,
            ClusterId = clusterId,
            Rack = config.Rack,
            Listeners = listeners,
            LogDirs = dirs,
            HeartbeatInterval = TimeSpan.FromMilliseconds(config.BrokerHeartbeatIntervalMs),
        };
    }
}
