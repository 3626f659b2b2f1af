using Tributary.Broker.Config;

namespace Tributary.Broker.Replication;

/// <summary>Replica fetcher settings, Kafka's names and defaults.</summary>
public sealed record ReplicaFetcherOptions
{
    /// <summary><c>node.id</c>: sent as the fetch's replica id.</summary>
    public required int NodeId { get; init; }

    /// <summary><c>inter.broker.listener.name</c>: the leader endpoint fetched from.</summary>
    public string InterBrokerListenerName { get; init; } = "PLAINTEXT";

    /// <summary><c>num.replica.fetchers</c>: fetchers (connections) per source broker.</summary>
    public int NumFetchers { get; init; } = 1;

    /// <summary><c>replica.fetch.max.bytes</c>: per partition.</summary>
    public int FetchMaxBytes { get; init; } = 1024 * 1024;

    /// <summary><c>replica.fetch.response.max.bytes</c>: per fetch.</summary>
    public int FetchResponseMaxBytes { get; init; } = 10 * 1024 * 1024;

    /// <summary><c>replica.fetch.wait.max.ms</c>: how long the leader may hold a fetch that has no data.</summary>
    public int FetchWaitMaxMs { get; init; } = 500;

    /// <summary><c>replica.fetch.min.bytes</c>.</summary>
    public int FetchMinBytes { get; init; } = 1;

    /// <summary><c>replica.fetch.backoff.ms</c>: pause after an error before retrying a partition or connection.</summary>
    public int FetchBackoffMs { get; init; } = 1000;

    /// <summary><c>replica.socket.timeout.ms</c>: a fetch without an answer for this long (beyond the wait) fails.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>The settings from server.properties (keys not parsed there keep Kafka's defaults).</summary>
    public static ReplicaFetcherOptions FromBrokerConfig(BrokerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new ReplicaFetcherOptions
        {
            NodeId = config.NodeId,
            InterBrokerListenerName = config.InterBrokerListenerName,
            NumFetchers = config.NumReplicaFetchers,
            FetchMaxBytes = Math.Max(1, config.ReplicaFetchMaxBytes),
            FetchWaitMaxMs = config.ReplicaFetchWaitMaxMs,
        };
    }
}
