using Tributary.Protocol;
using Tributary.Protocol.Messages;

namespace Tributary.Broker.Metadata.Controller;

/// <summary>
/// AlterPartition (API 56, v0-3) from partition leaders as a pure function of the image, as Kafka's
/// ReplicationControlManager checks it: the sender's broker epoch (STALE_BROKER_EPOCH for the whole
/// request), then per partition the leader epoch (FENCED_LEADER_EPOCH), the sender being the leader
/// (INVALID_REQUEST), the partition epoch (INVALID_UPDATE_VERSION), the recovery state, the new ISR being
/// a duplicate-free subset of the replicas that holds the leader (INVALID_REQUEST), and every member
/// being registered, unfenced, not shutting down and (v3) of the stated broker epoch (INELIGIBLE_REPLICA;
/// OPERATION_NOT_ATTEMPTED before v2). An accepted change is a PartitionChangeRecord (partition epoch + 1)
/// that may also complete a reassignment; if that moves the leadership, the answer is NEW_LEADER_ELECTED
/// (FENCED_LEADER_EPOCH before v2). Otherwise the answer is the partition's new state.
/// </summary>
public static class AlterPartitions
{
    public static ControllerPlan<AlterPartitionResponse> Plan(MetadataImage image, AlterPartitionRequest request, short version)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(request);
        var response = new AlterPartitionResponse();
        if (!image.Brokers.TryGetValue(request.BrokerId, out var sender) || sender.Epoch != request.BrokerEpoch)
        {
            response.ErrorCode = (short)ErrorCode.StaleBrokerEpoch;
            return new ControllerPlan<AlterPartitionResponse>([], response);
        }

        var records = new List<IMetadataRecord>();
        foreach (var topicData in request.Topics)
        {
            var topic = version >= 2 ? image.Topic(topicData.TopicId) : image.Topic(topicData.TopicName);
            var result = new AlterPartitionResponse.TopicData { TopicName = topicData.TopicName, TopicId = topicData.TopicId };
            response.Topics.Add(result);
            foreach (var partitionData in topicData.Partitions)
            {
                if (topic is null)
                {
                    result.Partitions.Add(Error(partitionData.PartitionIndex, version >= 2 ? ErrorCode.UnknownTopicId : ErrorCode.UnknownTopicOrPartition));
                    continue;
                }

                result.Partitions.Add(PlanPartition(image, topic, request.BrokerId, partitionData, version, records));
            }
        }

        return new ControllerPlan<AlterPartitionResponse>(records, response);
    }

    private static AlterPartitionResponse.PartitionData PlanPartition(MetadataImage image, TopicImage topic, int brokerId,
        AlterPartitionRequest.PartitionData data, short version, List<IMetadataRecord> records)
    {
        if (!topic.Partitions.TryGetValue(data.PartitionIndex, out var partition))
        {
            return Error(data.PartitionIndex, ErrorCode.UnknownTopicOrPartition);
        }

        if (data.LeaderEpoch != partition.LeaderEpoch)
        {
            return Error(data.PartitionIndex, ErrorCode.FencedLeaderEpoch);
        }

        if (brokerId != partition.Leader)
        {
            return Error(data.PartitionIndex, ErrorCode.InvalidRequest);
        }

        if (data.PartitionEpoch != partition.PartitionEpoch)
        {
            return Error(data.PartitionIndex, ErrorCode.InvalidUpdateVersion);
        }

        var newIsr = version >= 3 ? data.NewIsrWithEpochs.Select(b => b.BrokerId).ToList() : data.NewIsr;
        var recovery = version >= 1 ? data.LeaderRecoveryState : (sbyte)0;
        if (!PartitionChangeBuilder.IsKnownRecoveryState(recovery)
            || (recovery == 1 && newIsr.Count > 1)
            || (partition.LeaderRecoveryState == 0 && recovery == 1))
        {
            return Error(data.PartitionIndex, ErrorCode.InvalidRequest);
        }

        if (newIsr.Distinct().Count() != newIsr.Count || !newIsr.All(partition.Replicas.Contains) || !newIsr.Contains(partition.Leader))
        {
            return Error(data.PartitionIndex, ErrorCode.InvalidRequest);
        }

        if (!Eligible(image, data, newIsr, version))
        {
            return Error(data.PartitionIndex, version >= 2 ? ErrorCode.IneligibleReplica : ErrorCode.OperationNotAttempted);
        }

        var builder = new PartitionChangeBuilder(topic.Id, partition, image.IsActive)
            .WithTargetIsr(newIsr)
            .WithTargetLeaderRecoveryState(recovery);
        var record = builder.Build();
        if (record is null)
        {
            return State(data.PartitionIndex, partition);
        }

        records.Add(record);
        if (record.Leader != -2 && record.Leader != partition.Leader)
        {
            return Error(data.PartitionIndex, version >= 2 ? ErrorCode.NewLeaderElected : ErrorCode.FencedLeaderEpoch);
        }

        var next = MetadataDelta.Apply(image, [record], image.Offset).Partition(topic.Name, data.PartitionIndex)!;
        return State(data.PartitionIndex, next);
    }

    private static bool Eligible(MetadataImage image, AlterPartitionRequest.PartitionData data, List<int> newIsr, short version)
    {
        foreach (var id in newIsr)
        {
            if (!image.Brokers.TryGetValue(id, out var broker) || !broker.IsActive)
            {
                return false;
            }
        }

        if (version >= 3)
        {
            foreach (var member in data.NewIsrWithEpochs)
            {
                if (member.BrokerEpoch != -1 && image.Brokers[member.BrokerId].Epoch != member.BrokerEpoch)
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static AlterPartitionResponse.PartitionData Error(int partition, ErrorCode error) =>
        new() { PartitionIndex = partition, ErrorCode = (short)error };

    private static AlterPartitionResponse.PartitionData State(int index, PartitionImage partition) => new()
    {
        PartitionIndex = index,
        LeaderId = partition.Leader,
        LeaderEpoch = partition.LeaderEpoch,
        Isr = [.. partition.Isr],
        LeaderRecoveryState = partition.LeaderRecoveryState,
        PartitionEpoch = partition.PartitionEpoch,
    };
}
