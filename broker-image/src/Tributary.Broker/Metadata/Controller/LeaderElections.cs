using Tributary.Protocol;
using Tributary.Protocol.Messages;

namespace Tributary.Broker.Metadata.Controller;

/// <summary>
/// ElectLeaders (API 43) as a pure function of the image, as Kafka's controller answers it. PREFERRED (0)
/// moves leadership to the first replica when it is in the ISR and active (ELECTION_NOT_NEEDED when it
/// already leads, PREFERRED_LEADER_NOT_AVAILABLE when it cannot); UNCLEAN (1) elects a leader for a
/// leaderless partition, from outside the ISR if need be (ELECTION_NOT_NEEDED when it has one,
/// ELIGIBLE_LEADERS_NOT_AVAILABLE when no replica is active). A null topic list means every partition,
/// and then partitions that needed no election are left out of the answer.
/// </summary>
public static class LeaderElections
{
    public const sbyte Preferred = 0;
    public const sbyte Unclean = 1;

    public static ControllerPlan<ElectLeadersResponse> Plan(MetadataImage image, ElectLeadersRequest request, short version)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(request);
        var response = new ElectLeadersResponse();
        var records = new List<IMetadataRecord>();
        var elected = new HashSet<(Guid, int)>();
        var type = version >= 1 ? request.ElectionType : Preferred;
        if (type is not (Preferred or Unclean))
        {
            response.ErrorCode = (short)ErrorCode.InvalidRequest;
            return new ControllerPlan<ElectLeadersResponse>(records, response);
        }

        if (request.TopicPartitions is null)
        {
            foreach (var topic in image.Topics.Values)
            {
                var result = new ElectLeadersResponse.ReplicaElectionResult { Topic = topic.Name };
                foreach (var partition in topic.Partitions.Keys)
                {
                    var (error, message) = Elect(image, topic.Name, partition, type, records, elected);
                    if (error != ErrorCode.ElectionNotNeeded)
                    {
                        result.PartitionResult.Add(Result(partition, error, message));
                    }
                }

                if (result.PartitionResult.Count > 0)
                {
                    response.ReplicaElectionResults.Add(result);
                }
            }
        }
        else
        {
            foreach (var topic in request.TopicPartitions)
            {
                var result = new ElectLeadersResponse.ReplicaElectionResult { Topic = topic.Topic };
                foreach (var partition in topic.Partitions)
                {
                    var (error, message) = Elect(image, topic.Topic, partition, type, records, elected);
                    result.PartitionResult.Add(Result(partition, error, message));
                }

                response.ReplicaElectionResults.Add(result);
            }
        }

        return new ControllerPlan<ElectLeadersResponse>(records, response);
    }

    private static (ErrorCode, string?) Elect(MetadataImage image, string topicName, int partitionId, sbyte type, List<IMetadataRecord> records,
        HashSet<(Guid, int)> elected)
    {
        var topic = image.Topic(topicName);
        if (topic is null || !topic.Partitions.TryGetValue(partitionId, out var partition))
        {
            return (ErrorCode.UnknownTopicOrPartition, $"The partition {topicName}-{partitionId} does not exist.");
        }

        // A partition named twice in one request is elected once; later mentions see the first result.
        if (elected.Contains((topic.Id, partitionId)))
        {
            return (ErrorCode.ElectionNotNeeded, null);
        }

        if ((type == Preferred && partition.Leader == partition.PreferredLeader) || (type == Unclean && partition.Leader != PartitionImage.NoLeader))
        {
            return (ErrorCode.ElectionNotNeeded, "Leader election not needed for topic partition.");
        }

        var builder = new PartitionChangeBuilder(topic.Id, partition, image.IsActive)
        {
            Election = type == Preferred ? PartitionElection.Preferred : PartitionElection.Unclean,
        };
        if (builder.Build() is not { } record)
        {
            return type == Preferred
                ? (ErrorCode.PreferredLeaderNotAvailable, $"Failed to elect leader for partition {topicName}-{partitionId}: the preferred leader is not available.")
                : (ErrorCode.EligibleLeadersNotAvailable, $"Failed to elect leader for partition {topicName}-{partitionId}: no eligible replica is available.");
        }

        records.Add(record);
        elected.Add((topic.Id, partitionId));
        return (ErrorCode.None, null);
    }

    private static ElectLeadersResponse.PartitionResult Result(int partition, ErrorCode error, string? message) =>
        new() { PartitionId = partition, ErrorCode = (short)error, ErrorMessage = error == ErrorCode.None ? null : message };
}
