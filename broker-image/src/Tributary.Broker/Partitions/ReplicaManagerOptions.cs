using Tributary.Broker.Metadata;

namespace Tributary.Broker.Partitions;

/// <summary>Broker settings the replica manager needs (from server.properties).</summary>
public sealed record ReplicaManagerOptions
{
    /// <summary><c>node.id</c>: partitions whose leader is this id are served here.</summary>
    public required int NodeId { get; init; }

    /// <summary><c>min.insync.replicas</c> for topics without an override.</summary>
    public int DefaultMinInsyncReplicas { get; init; } = 1;

    /// <summary><c>producer.id.expiration.ms</c>: idle producer ids are forgotten after this long.</summary>
    public long ProducerIdExpirationMs { get; init; } = 86_400_000;

    /// <summary>How often producer state is snapshotted and expired producers removed.</summary>
    public TimeSpan ProducerStateCheckpointInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Resolves a topic's effective <c>min.insync.replicas</c> (e.g. TopicConfigResolver.MinInsyncReplicas);
    /// null: topic override, then the image's broker config, then <see cref="DefaultMinInsyncReplicas"/>.
    /// </summary>
    public Func<MetadataImage, string, int>? MinInsyncReplicasResolver { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary><c>replica.lag.time.max.ms</c>: followers not caught up for this long leave the ISR.</summary>
    public long ReplicaLagTimeMaxMs { get; init; } = 30_000;

    /// <summary>Where led partitions send ISR changes (AlterPartition); null in single-node mode, where the ISR never changes.</summary>
    public IIsrChangeSender? IsrSender { get; init; }

    /// <summary>Counts committed ISR shrinks (e.g. BrokerMetrics.IsrShrinks).</summary>
    public Action? OnIsrShrink { get; init; }

    /// <summary>Counts committed ISR expansions (e.g. BrokerMetrics.IsrExpands).</summary>
    public Action? OnIsrExpand { get; init; }
}
