namespace Tributary.Operator.Rendering;

/// <summary>
/// One Kafka listener of a node, independent of Kubernetes.
/// </summary>
/// <param name="Name">Kafka listener name, upper case (CONTROLLER, REPLICATION, PLAIN-9092).</param>
/// <param name="Port">Port to bind on all interfaces.</param>
/// <param name="SecurityProtocol">PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL.</param>
/// <param name="AdvertisedHost">Host clients are told to use; null for listeners that are not advertised (CONTROLLER).</param>
/// <param name="AdvertisedPort">Port clients are told to use; defaults to <paramref name="Port"/>.</param>
/// <param name="Settings">Per-listener settings without the listener.name.&lt;name&gt;. prefix, e.g. sasl.enabled.mechanisms.</param>
public sealed record ListenerEndpoint(
    string Name,
    int Port,
    string SecurityProtocol,
    string? AdvertisedHost = null,
    int? AdvertisedPort = null,
    IReadOnlyDictionary<string, string>? Settings = null);
