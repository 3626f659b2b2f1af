using System.Globalization;
using Tributary.Broker.Metadata;

namespace Tributary.Broker.Replication;

/// <summary>
/// The reassignment throttle (KIP-73): <c>leader.replication.throttled.rate</c> and
/// <c>follower.replication.throttled.rate</c> (dynamic broker configs, bytes/s) limit replication
/// traffic of the replicas listed in each topic's <c>leader.replication.throttled.replicas</c> /
/// <c>follower.replication.throttled.replicas</c> on this broker, as Kafka does, only while the
/// follower is outside the ISR (a reassignment catching up), never for in-sync replication.
/// Parsed configs are cached per metadata image.
/// </summary>
public sealed class ReplicationThrottle
{
    public const string LeaderRateKey = "leader.replication.throttled.rate";
    public const string FollowerRateKey = "follower.replication.throttled.rate";
    public const string LeaderReplicasKey = "leader.replication.throttled.replicas";
    public const string FollowerReplicasKey = "follower.replication.throttled.replicas";

    private readonly int _nodeId;
    private readonly IMetadataView _metadata;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();

    /// <summary>The state and the image it was built from, swapped whole so that readers need no lock.</summary>
    private volatile Snapshot _snapshot = new(null, State.Empty);

    public ReplicationThrottle(int nodeId, IMetadataView metadata, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        _nodeId = nodeId;
        _metadata = metadata;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Whether this leader's reads for follower <paramref name="replicaId"/> of the partition count against the leader quota.</summary>
    public bool IsLeaderThrottled(string topic, int partition, int replicaId)
    {
        var (state, image) = Current();
        return state.Leader is not null && state.LeaderReplicas.TryGetValue(topic, out var replicas) && replicas.Contains(partition, _nodeId) &&
            image.Partition(topic, partition) is { } p && !p.Isr.Contains(replicaId);
    }

    /// <summary>Whether this follower's fetches of the partition count against the follower quota.</summary>
    public bool IsFollowerThrottled(string topic, int partition)
    {
        var (state, image) = Current();
        return state.Follower is not null && state.FollowerReplicas.TryGetValue(topic, out var replicas) && replicas.Contains(partition, _nodeId) &&
            image.Partition(topic, partition) is { } p && !p.Isr.Contains(_nodeId);
    }

    public bool TryAcquireLeader() => Current().State.Leader?.TryAcquire() ?? true;

    public void RecordLeaderBytes(long bytes) => Current().State.Leader?.Record(bytes);

    public bool TryAcquireFollower() => Current().State.Follower?.TryAcquire() ?? true;

    public void RecordFollowerBytes(long bytes) => Current().State.Follower?.Record(bytes);

    /// <summary>
    /// The throttle state for the current image. Called per partition of every follower fetch, so
    /// the common case (the image has not changed) reads one volatile field; only a new image takes
    /// the lock, which keeps two racing rebuilds from creating two token buckets.
    /// </summary>
    private (State State, MetadataImage Image) Current()
    {
        var image = _metadata.Current;
        var snapshot = _snapshot;
        if (ReferenceEquals(snapshot.Image, image))
        {
            return (snapshot.State, image);
        }

        lock (_lock)
        {
            snapshot = _snapshot;
            if (!ReferenceEquals(snapshot.Image, image))
            {
                snapshot = new Snapshot(image, Build(image, snapshot.State));
                _snapshot = snapshot;
            }

            return (snapshot.State, image);
        }
    }

    private sealed record Snapshot(MetadataImage? Image, State State);

    private State Build(MetadataImage image, State previous)
    {
        var leader = Bucket(RateFor(image, LeaderRateKey), previous.Leader);
        var follower = Bucket(RateFor(image, FollowerRateKey), previous.Follower);
        var leaderReplicas = new Dictionary<string, ThrottledReplicas>(StringComparer.Ordinal);
        var followerReplicas = new Dictionary<string, ThrottledReplicas>(StringComparer.Ordinal);
        if (leader is not null || follower is not null)
        {
            foreach (var (name, topic) in image.Topics)
            {
                if (topic.Configs.TryGetValue(LeaderReplicasKey, out var l))
                {
                    leaderReplicas[name] = ThrottledReplicas.Parse(l);
                }

                if (topic.Configs.TryGetValue(FollowerReplicasKey, out var f))
                {
                    followerReplicas[name] = ThrottledReplicas.Parse(f);
                }
            }
        }

        return new State(leader, follower, leaderReplicas, followerReplicas);
    }

    private TokenBucket? Bucket(long? rate, TokenBucket? existing)
    {
        if (rate is not { } r)
        {
            return null;
        }

        if (existing is null)
        {
            return new TokenBucket(r, _time);
        }

        existing.Rate = r;
        return existing;
    }

    /// <summary>The per-broker value, then the cluster default; unset or Long.MaxValue (Kafka's default) means unthrottled.</summary>
    private long? RateFor(MetadataImage image, string key)
    {
        var text = image.BrokerConfigsFor(_nodeId).GetValueOrDefault(key) ?? image.BrokerConfigs.GetValueOrDefault(key);
        return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var rate) && rate > 0 && rate < long.MaxValue ? rate : null;
    }

    private sealed record State(TokenBucket? Leader, TokenBucket? Follower,
        Dictionary<string, ThrottledReplicas> LeaderReplicas, Dictionary<string, ThrottledReplicas> FollowerReplicas)
    {
        public static State Empty { get; } = new(null, null, [], []);
    }
}
