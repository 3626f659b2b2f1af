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
}
