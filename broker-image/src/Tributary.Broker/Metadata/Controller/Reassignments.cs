using Tributary.Protocol;
using Tributary.Protocol.Messages;

namespace Tributary.Broker.Metadata.Controller;

/// <summary>
/// Partition reassignment as in KIP-455, pure. AlterPartitionReassignments (API 45) sets a partition's
/// target replicas: the replicas become target + the ones being removed, with AddingReplicas /
/// RemovingReplicas recorded; the reassignment completes (in <see cref="PartitionChangeBuilder"/>, here or
/// on a later AlterPartition) once every target replica is in the ISR, dropping the removed replicas and
/// electing a target replica to lead if needed. A new target replaces an ongoing one relative to the
/// original replicas; null replicas cancel (NO_REASSIGNMENT_IN_PROGRESS when none), restoring the original
/// replicas (an unclean election if none of them is in sync, only when the topic allows it).
/// ListPartitionReassignments (API 46) reports the ongoing ones.
/// </summary>
public static class Reassignments
{
    public static ControllerPlan<AlterPartitionReassignmentsResponse> PlanAlter(MetadataImage image, AlterPartitionReassignmentsRequest request, Func<string, bool> uncleanEnabled)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(uncleanEnabled);
        var response = new AlterPartitionReassignmentsResponse { ErrorMessage = null };
        var records = new List<IMetadataRecord>();
        var seen = new HashSet<(string, int)>();
        foreach (var topic in request.Topics)
        {
            var result = new AlterPartitionReassignmentsResponse.ReassignableTopicResponse { Name = topic.Name };
            response.Responses.Add(result);
            foreach (var partition in topic.Partitions)
            {
                var (error, message) = seen.Add((topic.Name, partition.PartitionIndex))
                    ? Alter(image, topic.Name, partition, uncleanEnabled, records)
                    : (ErrorCode.InvalidRequest, $"Partition {topic.Name}-{partition.PartitionIndex} appears more than once in the request.");
                result.Partitions.Add(new AlterPartitionReassignmentsResponse.ReassignablePartitionResponse
                {
                    PartitionIndex = partition.PartitionIndex,
                    ErrorCode = (short)error,
                    ErrorMessage = error == ErrorCode.None ? null : message,
                });
            }
        }

        return new ControllerPlan<AlterPartitionReassignmentsResponse>(records, response);
    }

    public static ListPartitionReassignmentsResponse List(MetadataImage image, ListPartitionReassignmentsRequest request)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(request);
        var response = new ListPartitionReassignmentsResponse { ErrorMessage = null };
        IEnumerable<(TopicImage Topic, IEnumerable<int> Partitions)> wanted = request.Topics is null
            ? image.Topics.Values.Select(t => (t, (IEnumerable<int>)t.Partitions.Keys))
            : request.Topics
                .Select(t => (Topic: image.Topic(t.Name)!, Partitions: (IEnumerable<int>)t.PartitionIndexes))
                .Where(t => t.Topic is not null);
        foreach (var (topic, partitions) in wanted)
        {
            var ongoing = new ListPartitionReassignmentsResponse.OngoingTopicReassignment { Name = topic.Name };
            foreach (var index in partitions.Distinct())
            {
                if (topic.Partitions.TryGetValue(index, out var p) && p.IsReassigning)
                {
                    ongoing.Partitions.Add(new ListPartitionReassignmentsResponse.OngoingPartitionReassignment
                    {
                        PartitionIndex = index,
                        Replicas = [.. p.Replicas],
                        AddingReplicas = [.. p.AddingReplicas],
                        RemovingReplicas = [.. p.RemovingReplicas],
                    });
                }
            }

            if (ongoing.Partitions.Count > 0)
            {
                response.Topics.Add(ongoing);
            }
        }

        return response;
    }

    private static (ErrorCode, string?) Alter(MetadataImage image, string topicName, AlterPartitionReassignmentsRequest.ReassignablePartition target,
        Func<string, bool> uncleanEnabled, List<IMetadataRecord> records)
    {
        var topic = image.Topic(topicName);
        if (topic is null || !topic.Partitions.TryGetValue(target.PartitionIndex, out var partition))
        {
            return (ErrorCode.UnknownTopicOrPartition, $"Unable to find partition {topicName}:{target.PartitionIndex}.");
        }

        return target.Replicas is null
            ? Cancel(image, topic, partition, uncleanEnabled, records)
            : Change(image, topic, partition, target.Replicas, records);
    }

    private static (ErrorCode, string?) Cancel(MetadataImage image, TopicImage topic, PartitionImage partition, Func<string, bool> uncleanEnabled, List<IMetadataRecord> records)
    {
        if (!partition.IsReassigning)
        {
            return (ErrorCode.NoReassignmentInProgress, $"Partition {topic.Name}:{partition.Partition} has no ongoing reassignment.");
        }

        var (replicas, isr) = Original(partition);
        var unclean = isr.Count == 0;
        if (unclean && !uncleanEnabled(topic.Name))
        {
            return (ErrorCode.InvalidReplicaAssignment,
                $"Unable to revert partition assignment for {topic.Name}:{partition.Partition} because it would require an unclean leader election.");
        }

        var builder = new PartitionChangeBuilder(topic.Id, partition, image.IsActive)
        {
            Election = unclean ? PartitionElection.Unclean : PartitionElection.Online,
        };
        builder.WithTargetReplicas(replicas).WithTargetIsr(isr).WithTargetAdding([]).WithTargetRemoving([]);
        if (builder.Build() is { } record)
        {
            records.Add(record);
        }

        return (ErrorCode.None, null);
    }

    private static (ErrorCode, string?) Change(MetadataImage image, TopicImage topic, PartitionImage partition, List<int> target, List<IMetadataRecord> records)
    {
        if (PartitionAssignments.Validate(image, partition.Partition, target) is { } invalid)
        {
            return (ErrorCode.InvalidReplicaAssignment, invalid);
        }

        List<int> current = partition.IsReassigning ? Original(partition).Replicas : [.. partition.Replicas];
        var removing = current.Where(r => !target.Contains(r)).ToList();
        var adding = target.Where(r => !current.Contains(r)).ToList();
        List<int> replicas = [.. target, .. removing];
        var builder = new PartitionChangeBuilder(topic.Id, partition, image.IsActive)
            .WithTargetReplicas(replicas)
            .WithTargetAdding(adding)
            .WithTargetRemoving(removing)
            .WithTargetIsr(partition.Isr.Where(replicas.Contains));
        if (builder.Build() is { } record)
        {
            records.Add(record);
        }

        return (ErrorCode.None, null);
    }

    /// <summary>The replicas and ISR a partition had before its reassignment: without the replicas being added.</summary>
    private static (List<int> Replicas, List<int> Isr) Original(PartitionImage partition) =>
        ([.. partition.Replicas.Where(r => !partition.AddingReplicas.Contains(r))],
         [.. partition.Isr.Where(r => !partition.AddingReplicas.Contains(r))]);
}
