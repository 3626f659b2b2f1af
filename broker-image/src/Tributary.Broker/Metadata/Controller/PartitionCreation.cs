using Tributary.Broker.Topics;
using Tributary.Protocol;
using Tributary.Protocol.Messages;

namespace Tributary.Broker.Metadata.Controller;

/// <summary>CreatePartitions as a pure function of the image: PartitionRecords for the added partitions.</summary>
public static class PartitionCreation
{
    public static ControllerPlan<CreatePartitionsResponse> Plan(MetadataImage image, CreatePartitionsRequest request, Random random)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(random);
        var records = new List<IMetadataRecord>();
        var response = new CreatePartitionsResponse();
        var duplicates = request.Topics.GroupBy(t => t.Name, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        var liveBrokers = ReplicaPlacer.LiveBrokers(image);

        foreach (var topic in request.Topics)
        {
            var result = new CreatePartitionsResponse.CreatePartitionsTopicResult { Name = topic.Name };
            response.Results.Add(result);
            var existing = image.Topic(topic.Name);
            (ErrorCode, string)? error = duplicates.Contains(topic.Name)
                ? (ErrorCode.InvalidRequest, "Duplicate topic name.")
                : Check(topic, existing);
            List<int[]>? added = null;
            if (error is null)
            {
                (added, error) = Assign(image, topic, existing!, liveBrokers, random);
            }

            if (error is null && records.Count + added!.Count > TopicCreation.MaxRecordsPerOperation)
            {
                error = (ErrorCode.PolicyViolation, $"A single request may add at most {TopicCreation.MaxRecordsPerOperation} partitions.");
            }

            if (error is { } e)
            {
                result.ErrorCode = (short)e.Item1;
                result.ErrorMessage = e.Item2;
                continue;
            }

            if (request.ValidateOnly)
            {
                continue;
            }

            var first = existing!.Partitions.Count;
            for (var i = 0; i < added!.Count; i++)
            {
                records.Add(PartitionAssignments.NewPartition(image, existing.Id, first + i, added[i]));
            }
        }

        return new ControllerPlan<CreatePartitionsResponse>(records, response);
    }

    private static (ErrorCode, string)? Check(CreatePartitionsRequest.CreatePartitionsTopic topic, TopicImage? existing)
    {
        if (existing is null)
        {
            return TopicNames.IsValid(topic.Name)
                ? (ErrorCode.UnknownTopicOrPartition, $"The topic '{topic.Name}' does not exist.")
                : (ErrorCode.InvalidTopicException, TopicNames.Validate(topic.Name)!);
        }

        if (TopicNames.IsInternal(topic.Name))
        {
            return (ErrorCode.InvalidRequest, $"Cannot change the partition count of internal topic {topic.Name}: it would remap its keys.");
        }

        var current = existing.Partitions.Count;
        if (topic.Count < current)
        {
            return (ErrorCode.InvalidPartitions, $"Topic currently has {current} partitions, which is higher than the requested {topic.Count}.");
        }

        if (topic.Count == current)
        {
            return (ErrorCode.InvalidPartitions, $"Topic already has {current} partition(s).");
        }

        return null;
    }

    private static (List<int[]>?, (ErrorCode, string)?) Assign(MetadataImage image, CreatePartitionsRequest.CreatePartitionsTopic topic, TopicImage existing,
        IReadOnlyList<PlacementBroker> liveBrokers, Random random)
    {
        var current = existing.Partitions.Count;
        var toAdd = topic.Count - current;
        if (topic.Assignments is { } assignments)
        {
            if (assignments.Count != toAdd)
            {
                return (null, (ErrorCode.InvalidReplicaAssignment, $"Attempted to add {toAdd} additional partition(s), but only {assignments.Count} assignment(s) were specified."));
            }

            var result = new List<int[]>(toAdd);
            for (var i = 0; i < toAdd; i++)
            {
                if (PartitionAssignments.Validate(image, current + i, assignments[i].BrokerIds) is { } error)
                {
                    return (null, (ErrorCode.InvalidReplicaAssignment, error));
                }

                result.Add([.. assignments[i].BrokerIds]);
            }

            return (result, null);
        }

        var rf = existing.Partitions.Values.FirstOrDefault()?.Replicas.Count ?? 1;
        if (ReplicaPlacer.CheckReplicationFactor(rf, liveBrokers.Count) is { } tooFew)
        {
            return (null, tooFew);
        }

        if (toAdd > TopicCreation.MaxRecordsPerOperation)
        {
            return (null, (ErrorCode.PolicyViolation, $"{toAdd} partitions exceed the limit of {TopicCreation.MaxRecordsPerOperation} per request."));
        }

        // Count the topic's current partitions so the added ones even out its leaders and replicas.
        var placed = existing.Partitions.Values.Select(p => p.Replicas);
        return ([.. ReplicaPlacer.Place(liveBrokers, current, toAdd, rf, random.Next(liveBrokers.Count), placed)], null);
    }
}
