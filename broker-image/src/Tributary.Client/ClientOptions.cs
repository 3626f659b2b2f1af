namespace Tributary.Client;

/// <summary>Settings every client (admin, producer, consumer) shares.</summary>
public class ClientOptions
{
    /// <summary>Comma-separated host:port list used to find the cluster.</summary>
    public string BootstrapServers { get; set; } = "";

    public string ClientId { get; set; } = "tributary-client";

    /// <summary>How long a single request may wait for its response before the connection is closed.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>First delay before retrying a retriable error; doubles each attempt up to <see cref="RetryBackoffMax"/>.</summary>
    public TimeSpan RetryBackoff { get; set; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan RetryBackoffMax { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Attempts after the first for a retriable error.</summary>
    public int Retries { get; set; } = 10;

    /// <summary>Cached metadata older than this is refreshed before use.</summary>
    public TimeSpan MetadataMaxAge { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Largest response frame accepted from a broker.</summary>
    public int MaxResponseSize { get; set; } = 100 << 20;

    /// <summary>
    /// Highest version to use per API, below what the broker advertises: a workaround for brokers
    /// that advertise versions they do not implement faithfully (librdkafka's mock cluster and ListOffsets v4+).
    /// </summary>
    public IReadOnlyDictionary<Tributary.Protocol.Messages.ApiKey, short> MaxVersions { get; set; } =
        new Dictionary<Tributary.Protocol.Messages.ApiKey, short>();

    internal IReadOnlyList<Network.BrokerEndpoint> ParseBootstrap()
    {
        var endpoints = Network.BrokerEndpoint.ParseList(BootstrapServers);
        return endpoints.Count > 0 ? endpoints : throw new ArgumentException("BootstrapServers names no broker", nameof(BootstrapServers));
    }
}
