using System.Globalization;
using Tributary.Broker.Config;
using Tributary.Broker.Metadata;
using Tributary.Broker.Topics;
using Tributary.Protocol.Messages;
using Tributary.Protocol.Metadata;

namespace Tributary.Broker.Quorum;

/// <summary>
/// A metadata image expressed as the records that rebuild it (the content of a snapshot): replaying
/// <see cref="ToRecords"/> onto an empty image with <see cref="MetadataDelta"/>, each record at its
/// offset, gives the same image. Covers every record type <see cref="MetadataDelta"/> models; a field
/// added to the image must be added here too (the round-trip test catches a forgotten one).
/// </summary>
public static class ImageRecords
{
    /// <summary>
    /// The records in replay order (features, brokers, cluster and broker configs, topics with their
    /// partitions and configs, ACLs, the producer id watermark), each with the offset to replay it at:
    /// a broker's registration keeps its original offset (the broker epoch rule depends on it), the
    /// rest use the image offset.
    /// </summary>
    public static IReadOnlyList<(IMetadataRecord Record, long Offset)> ToRecords(MetadataImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var at = image.Offset;
        var records = new List<(IMetadataRecord, long)>();
        foreach (var (name, level) in image.Features)
        {
            records.Add((new FeatureLevelRecord { Name = name, FeatureLevel = level }, at));
        }

        foreach (var broker in image.Brokers.Values)
        {
            records.Add((Registration(broker), broker.RegistrationOffset));
        }

        foreach (var (name, value) in image.BrokerConfigs)
        {
            records.Add((Config(ConfigResourceType.Broker, "", name, value), at));
        }

        foreach (var (brokerId, configs) in image.PerBrokerConfigs)
        {
            var resource = brokerId.ToString(CultureInfo.InvariantCulture);
            foreach (var (name, value) in configs)
            {
                records.Add((Config(ConfigResourceType.Broker, resource, name, value), at));
            }
        }

        foreach (var topic in image.Topics.Values)
        {
            records.Add((new TopicRecord { Name = topic.Name, TopicId = topic.Id }, at));
            foreach (var partition in topic.Partitions.Values.OrderBy(p => p.Partition))
            {
                records.Add((Partition(topic.Id, partition), at));
            }

            foreach (var (name, value) in topic.Configs.OrderBy(c => c.Key, StringComparer.Ordinal))
            {
                records.Add((Config(ConfigResourceType.Topic, topic.Name, name, value), at));
            }
        }

        foreach (var (id, acl) in image.Acls.ById.OrderBy(a => a.Key))
        {
            records.Add((acl.ToRecord(id), at));
        }

        if (image.NextProducerId > 0)
        {
            records.Add((new ProducerIdsRecord { BrokerId = -1, BrokerEpoch = -1, NextProducerId = image.NextProducerId }, at));
        }

        return records;
    }

    private static RegisterBrokerRecord Registration(BrokerImage broker)
    {
        var record = new RegisterBrokerRecord
        {
            BrokerId = broker.Id,
            IncarnationId = broker.IncarnationId,
            BrokerEpoch = broker.Epoch,
            Rack = broker.Rack,
            Fenced = broker.Fenced,
            InControlledShutdown = broker.InControlledShutdown,
        };
        foreach (var endpoint in broker.Endpoints)
        {
            record.EndPoints.Add(new RegisterBrokerRecord.BrokerEndpoint
            {
                Name = endpoint.ListenerName,
                Host = endpoint.Host,
                Port = (ushort)endpoint.Port,
                SecurityProtocol = ProtocolId(endpoint.SecurityProtocol),
            });
        }

        return record;
    }

    private static PartitionRecord Partition(Guid topicId, PartitionImage partition) => new()
    {
        TopicId = topicId,
        PartitionId = partition.Partition,
        Leader = partition.Leader,
        LeaderEpoch = partition.LeaderEpoch,
        PartitionEpoch = partition.PartitionEpoch,
        Replicas = [.. partition.Replicas],
        Isr = [.. partition.Isr],
        AddingReplicas = [.. partition.AddingReplicas],
        RemovingReplicas = [.. partition.RemovingReplicas],
        LeaderRecoveryState = partition.LeaderRecoveryState,
    };

    private static ConfigRecord Config(ConfigResourceType type, string resource, string name, string value) => new()
    {
        ResourceType = (sbyte)type,
        ResourceName = resource,
        Name = name,
        Value = value,
    };

    /// <summary>Kafka's SecurityProtocol ids (the inverse of <see cref="MetadataDelta"/>'s mapping).</summary>
    private static short ProtocolId(string name) =>
        !SecurityProtocolNames.TryParse(name, out var protocol) ? (short)-1 : protocol switch
        {
            SecurityProtocol.Plaintext => (short)0,
            SecurityProtocol.Ssl => (short)1,
            SecurityProtocol.SaslPlaintext => (short)2,
            SecurityProtocol.SaslSsl => (short)3,
            _ => (short)-1,
        };
}
