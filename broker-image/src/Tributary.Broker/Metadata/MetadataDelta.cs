using System.Collections.Immutable;
using Tributary.Broker.Config;
using Tributary.Broker.Security;
using Tributary.Broker.Topics;
using Tributary.Protocol.Messages;
using Tributary.Protocol.Metadata;

namespace Tributary.Broker.Metadata;

/// <summary>
/// Replays metadata records onto an image: pure, no I/O. Collect any number of records with
/// <see cref="Replay"/>, then <see cref="Apply"/> builds the next immutable image. Record types the
/// broker does not model yet (quotas, SCRAM, tokens) are accepted and ignored.
/// </summary>
public sealed class MetadataDelta
{
    private readonly MetadataImage _base;
    private readonly ImmutableSortedDictionary<string, TopicImage>.Builder _topics;
    private readonly ImmutableDictionary<Guid, string>.Builder _topicNames;
    private readonly ImmutableSortedDictionary<int, BrokerImage>.Builder _brokers;
    private readonly ImmutableSortedDictionary<string, string>.Builder _clusterConfigs;
    private readonly ImmutableSortedDictionary<string, short>.Builder _features;
    private ImmutableSortedDictionary<int, ImmutableSortedDictionary<string, string>> _perBrokerConfigs;
    private ImmutableDictionary<Guid, AclEntry> _acls;
    private bool _aclsChanged;
    private long _nextProducerId;
    private long _offset;

    public MetadataDelta(MetadataImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        _base = image;
        _topics = image.Topics.ToBuilder();
        _topicNames = image.TopicNamesById.ToBuilder();
        _brokers = image.Brokers.ToBuilder();
        _clusterConfigs = image.BrokerConfigs.ToBuilder();
        _features = image.Features.ToBuilder();
        _perBrokerConfigs = image.PerBrokerConfigs;
        _acls = image.Acls.ById;
        _nextProducerId = image.NextProducerId;
        _offset = image.Offset;
    }

    /// <summary>Records replayed so far.</summary>
    public int Count { get; private set; }

    /// <summary>Replays every record onto <paramref name="image"/>; the result's offset is <paramref name="lastOffset"/>.</summary>
    public static MetadataImage Apply(MetadataImage image, IEnumerable<IMetadataRecord> records, long lastOffset)
    {
        ArgumentNullException.ThrowIfNull(records);
        var delta = new MetadataDelta(image);
        foreach (var record in records)
        {
            delta.Replay(record, lastOffset);
        }

        return delta.Apply();
    }

    /// <summary>Applies one record written at log offset <paramref name="offset"/>.</summary>
    public void Replay(IMetadataRecord record, long offset)
    {
        ArgumentNullException.ThrowIfNull(record);
        switch (record)
        {
            case TopicRecord r: ReplayTopic(r); break;
            case PartitionRecord r: ReplayPartition(r); break;
            case PartitionChangeRecord r: ReplayPartitionChange(r); break;
            case RemoveTopicRecord r: ReplayRemoveTopic(r); break;
            case ConfigRecord r: ReplayConfig(r); break;
            case RegisterBrokerRecord r: ReplayRegisterBroker(r, offset); break;
            case UnregisterBrokerRecord r: _brokers.Remove(r.BrokerId); break;
            case FenceBrokerRecord r: SetFenced(r.Id, true); break;
            case UnfenceBrokerRecord r: SetFenced(r.Id, false); break;
            case BrokerRegistrationChangeRecord r:
                if (r.Fenced != 0)
                {
                    SetFenced(r.BrokerId, r.Fenced > 0);
                }

                // 1 = entered controlled shutdown; 0 = no change (Kafka never writes a way out: a restart re-registers).
                if (r.InControlledShutdown == 1 && _brokers.TryGetValue(r.BrokerId, out var shuttingDown))
                {
                    _brokers[r.BrokerId] = shuttingDown with { InControlledShutdown = true };
                }

                break;
            case FeatureLevelRecord r:
                if (r.FeatureLevel == 0)
                {
                    _features.Remove(r.Name);
                }
                else
                {
                    _features[r.Name] = r.FeatureLevel;
                }

                break;
            case ProducerIdsRecord r: _nextProducerId = Math.Max(_nextProducerId, r.NextProducerId); break;
            case AccessControlEntryRecord r:
                _acls = _acls.SetItem(r.Id, AclEntry.FromRecord(r));
                _aclsChanged = true;
                break;
            case RemoveAccessControlEntryRecord r:
                if (!_acls.ContainsKey(r.Id))
                {
                    throw new MetadataReplayException($"RemoveAccessControlEntryRecord for unknown ACL id {r.Id}");
                }

                _acls = _acls.Remove(r.Id);
                _aclsChanged = true;
                break;
            default: break;
        }

        _offset = Math.Max(_offset, offset);
        Count++;
    }

    /// <summary>The image with every replayed record applied (the base image when none were).</summary>
    public MetadataImage Apply()
    {
        if (Count == 0)
        {
            return _base;
        }

        return new MetadataImage(_base.ClusterId, _offset, _base.ControllerId, _topics.ToImmutable(), _topicNames.ToImmutable(),
            _brokers.ToImmutable(), _clusterConfigs.ToImmutable(), _nextProducerId)
        {
            PerBrokerConfigs = _perBrokerConfigs,
            Features = _features.ToImmutable(),

            // The index is rebuilt only when ACLs changed: most deltas leave it as it was.
            Acls = _aclsChanged ? new AclImage(_acls) : _base.Acls,
        };
    }

    private void ReplayTopic(TopicRecord r)
    {
        if (_topics.ContainsKey(r.Name))
        {
            throw new MetadataReplayException($"TopicRecord for '{r.Name}', which already exists");
        }

        if (_topicNames.ContainsKey(r.TopicId))
        {
            throw new MetadataReplayException($"TopicRecord for '{r.Name}' reuses topic id {r.TopicId}");
        }

        _topics[r.Name] = new TopicImage(r.Name, r.TopicId,
            ImmutableSortedDictionary<int, PartitionImage>.Empty,
            ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal));
        _topicNames[r.TopicId] = r.Name;
    }

    private void ReplayPartition(PartitionRecord r)
    {
        var topic = TopicById(r.TopicId, nameof(PartitionRecord));
        var partition = new PartitionImage(r.PartitionId, r.Leader, r.LeaderEpoch, r.PartitionEpoch, [.. r.Replicas], [.. r.Isr])
        {
            AddingReplicas = [.. r.AddingReplicas],
            RemovingReplicas = [.. r.RemovingReplicas],
            LeaderRecoveryState = r.LeaderRecoveryState,
        };
        _topics[topic.Name] = topic with { Partitions = Partitions(topic).SetItem(r.PartitionId, partition) };
    }

    private void ReplayPartitionChange(PartitionChangeRecord r)
    {
        var topic = TopicById(r.TopicId, nameof(PartitionChangeRecord));
        if (!topic.Partitions.TryGetValue(r.PartitionId, out var current))
        {
            throw new MetadataReplayException($"PartitionChangeRecord for unknown partition {topic.Name}-{r.PartitionId}");
        }

        // Leader -2 means "unchanged"; a new leader (or none, -1) starts a new leader epoch.
        var leaderChanged = r.Leader != -2;
        var next = current with
        {
            Leader = leaderChanged ? r.Leader : current.Leader,
            LeaderEpoch = leaderChanged ? current.LeaderEpoch + 1 : current.LeaderEpoch,
            PartitionEpoch = current.PartitionEpoch + 1,
            Replicas = r.Replicas is null ? current.Replicas : [.. r.Replicas],
            Isr = r.Isr is null ? current.Isr : [.. r.Isr],
            AddingReplicas = r.AddingReplicas is null ? current.AddingReplicas : [.. r.AddingReplicas],
            RemovingReplicas = r.RemovingReplicas is null ? current.RemovingReplicas : [.. r.RemovingReplicas],
            LeaderRecoveryState = r.LeaderRecoveryState == -1 ? current.LeaderRecoveryState : r.LeaderRecoveryState,
        };
        _topics[topic.Name] = topic with { Partitions = Partitions(topic).SetItem(r.PartitionId, next) };
    }

    private void ReplayRemoveTopic(RemoveTopicRecord r)
    {
        var topic = TopicById(r.TopicId, nameof(RemoveTopicRecord));
        _topics.Remove(topic.Name);
        _topicNames.Remove(r.TopicId);
    }

    private void ReplayConfig(ConfigRecord r)
    {
        switch ((ConfigResourceType)r.ResourceType)
        {
            case ConfigResourceType.Topic:
                if (!_topics.TryGetValue(r.ResourceName, out var topic))
                {
                    throw new MetadataReplayException($"ConfigRecord for unknown topic '{r.ResourceName}'");
                }

                var configs = topic.Configs as ImmutableSortedDictionary<string, string>
                    ?? topic.Configs.ToImmutableSortedDictionary(StringComparer.Ordinal);
                _topics[topic.Name] = topic with { Configs = r.Value is null ? configs.Remove(r.Name) : configs.SetItem(r.Name, r.Value) };
                break;
            case ConfigResourceType.Broker when r.ResourceName.Length == 0:
                if (r.Value is null)
                {
                    _clusterConfigs.Remove(r.Name);
                }
                else
                {
                    _clusterConfigs[r.Name] = r.Value;
                }

                break;
            case ConfigResourceType.Broker:
                if (!int.TryParse(r.ResourceName, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var brokerId))
                {
                    throw new MetadataReplayException($"ConfigRecord for broker '{r.ResourceName}', which is not a node id");
                }

                var current = _perBrokerConfigs.GetValueOrDefault(brokerId) ?? ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal);
                var updated = r.Value is null ? current.Remove(r.Name) : current.SetItem(r.Name, r.Value);
                _perBrokerConfigs = updated.IsEmpty ? _perBrokerConfigs.Remove(brokerId) : _perBrokerConfigs.SetItem(brokerId, updated);
                break;
            default:
                // Other resource types (client metrics, groups) are not modelled yet.
                break;
        }
    }

    private void ReplayRegisterBroker(RegisterBrokerRecord r, long offset)
    {
        var endpoints = r.EndPoints
            .Select(e => new BrokerEndpoint(e.Name, e.Host, e.Port, ProtocolName(e.SecurityProtocol)))
            .ToArray();
        _brokers[r.BrokerId] = new BrokerImage(r.BrokerId, string.IsNullOrEmpty(r.Rack) ? null : r.Rack, endpoints, r.Fenced, r.BrokerEpoch)
        {
            IncarnationId = r.IncarnationId,
            RegistrationOffset = offset,
            InControlledShutdown = r.InControlledShutdown,
        };
    }

    private void SetFenced(int brokerId, bool fenced)
    {
        if (_brokers.TryGetValue(brokerId, out var broker))
        {
            _brokers[brokerId] = broker with { Fenced = fenced };
        }
    }

    private TopicImage TopicById(Guid id, string recordName)
    {
        if (_topicNames.TryGetValue(id, out var name) && _topics.TryGetValue(name, out var topic))
        {
            return topic;
        }

        throw new MetadataReplayException($"{recordName} for unknown topic id {id}");
    }

    private static ImmutableSortedDictionary<int, PartitionImage> Partitions(TopicImage topic) =>
        topic.Partitions as ImmutableSortedDictionary<int, PartitionImage> ?? topic.Partitions.ToImmutableSortedDictionary();

    /// <summary>Kafka's security protocol ids (SecurityProtocol.id) as names.</summary>
    private static string ProtocolName(short id) => id switch
    {
        0 => SecurityProtocol.Plaintext.ToKafkaName(),
        1 => SecurityProtocol.Ssl.ToKafkaName(),
        2 => SecurityProtocol.SaslPlaintext.ToKafkaName(),
        3 => SecurityProtocol.SaslSsl.ToKafkaName(),
        _ => "UNKNOWN",
    };
}
