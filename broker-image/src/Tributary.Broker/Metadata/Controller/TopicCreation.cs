using Tributary.Broker.Config;
using Tributary.Broker.Topics;
using Tributary.Protocol;
using Tributary.Protocol.Messages;
using Tributary.Protocol.Metadata;

namespace Tributary.Broker.Metadata.Controller;

/// <summary>
/// CreateTopics as a pure function of the image: validates every topic (name, existence, '.'/'_'
/// collisions, configs, partition count, replication factor, manual assignments) and produces the
/// TopicRecord, PartitionRecords and ConfigRecords of the valid ones, plus each topic's result.
/// </summary>
public static class TopicCreation
{
    /// <summary>Kafka's QuorumController limit on the records one operation may produce.</summary>
    public const int MaxRecordsPerOperation = 10_000;

    public static ControllerPlan<CreateTopicsResponse> Plan(
        MetadataImage image,
        CreateTopicsRequest request,
        BrokerConfig config,
        TopicConfigResolver resolver,
        Func<Guid> newTopicId,
        Random random)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(resolver);
        ArgumentNullException.ThrowIfNull(newTopicId);
        ArgumentNullException.ThrowIfNull(random);

        var records = new List<IMetadataRecord>();
        var response = new CreateTopicsResponse();
        var duplicates = request.Topics.GroupBy(t => t.Name, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        var creating = new Dictionary<string, string>(StringComparer.Ordinal); // unified name -> name, for this request
        var liveBrokers = ReplicaPlacer.LiveBrokers(image);

        foreach (var topic in request.Topics)
        {
            var result = new CreateTopicsResponse.CreatableTopicResult { Name = topic.Name, ErrorMessage = null };
            response.Topics.Add(result);
            var error = duplicates.Contains(topic.Name)
                ? ((ErrorCode, string)?)(ErrorCode.InvalidRequest, "Duplicate topic name.")
                : CheckName(image, creating, topic.Name)
                    ?? CheckConfigs(topic);
            List<int[]>? assignment = null;
            if (error is null)
            {
                (assignment, error) = Assign(image, config, topic, liveBrokers, random);
            }

            if (error is null && records.Count + 1 + assignment!.Count + topic.Configs.Count > MaxRecordsPerOperation)
            {
                error = (ErrorCode.PolicyViolation, $"Unable to create topic {topic.Name}: a single request may create at most {MaxRecordsPerOperation} partitions and configs.");
            }

            if (error is { } e)
            {
                result.ErrorCode = (short)e.Item1;
                result.ErrorMessage = e.Item2;
                continue;
            }

            var overrides = topic.Configs
                .GroupBy(c => c.Name, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => TopicConfigDefinitions.Find(g.Key)!.Normalize(g.Last().Value!), StringComparer.Ordinal);
            creating[TopicNames.Unify(topic.Name)] = topic.Name;
            var id = NewId(image, newTopicId);
            FillSuccess(result, image, resolver, overrides, assignment!, request.validateOnly ? Guid.Empty : id);
            if (request.validateOnly)
            {
                continue;
            }

            records.Add(new TopicRecord { Name = topic.Name, TopicId = id });
            for (var p = 0; p < assignment!.Count; p++)
            {
                records.Add(PartitionAssignments.NewPartition(image, id, p, assignment[p]));
            }

            foreach (var (name, value) in overrides.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                records.Add(new ConfigRecord { ResourceType = (sbyte)ConfigResourceType.Topic, ResourceName = topic.Name, Name = name, Value = value });
            }
        }

        return new ControllerPlan<CreateTopicsResponse>(records, response);
    }

    /// <summary>Name rules, existence and '.'/'_' collisions with existing topics and earlier topics of the request.</summary>
    internal static (ErrorCode, string)? CheckName(MetadataImage image, IReadOnlyDictionary<string, string> creating, string name)
    {
        if (TopicNames.Validate(name) is { } invalid)
        {
            return (ErrorCode.InvalidTopicException, invalid);
        }

        if (image.Topics.ContainsKey(name) || creating.Values.Contains(name, StringComparer.Ordinal))
        {
            return (ErrorCode.TopicAlreadyExists, $"Topic '{name}' already exists.");
        }

        var unified = TopicNames.Unify(name);
        var collision = creating.GetValueOrDefault(unified)
            ?? image.Topics.Keys.FirstOrDefault(existing => TopicNames.Unify(existing) == unified);
        return collision is null ? null : (ErrorCode.InvalidTopicException, $"Topic '{name}' collides with existing topic: {collision}");
    }

    private static (ErrorCode, string)? CheckConfigs(CreateTopicsRequest.CreatableTopic topic)
    {
        foreach (var c in topic.Configs)
        {
            if (c.Value is null)
            {
                return (ErrorCode.InvalidConfig, $"Null value not supported for topic configs: {c.Name}");
            }
        }

        var error = TopicConfigDefinitions.Validate(topic.Configs.Select(c => new KeyValuePair<string, string?>(c.Name, c.Value)));
        return error is null ? null : (ErrorCode.InvalidConfig, error);
    }

    private static (List<int[]>?, (ErrorCode, string)?) Assign(MetadataImage image, BrokerConfig config, CreateTopicsRequest.CreatableTopic topic, IReadOnlyList<PlacementBroker> liveBrokers, Random random)
    {
        if (topic.Assignments.Count > 0)
        {
            if (topic.NumPartitions != -1 || topic.ReplicationFactor != -1)
            {
                return (null, (ErrorCode.InvalidRequest, "Both numPartitions or replicationFactor and replicasAssignments were set. Both cannot be used at the same time."));
            }

            return ManualAssignment(image, topic.Assignments);
        }

        var partitions = topic.NumPartitions == -1 ? config.NumPartitions : topic.NumPartitions;
        if (partitions <= 0)
        {
            return (null, (ErrorCode.InvalidPartitions, "Number of partitions was set to an invalid non-positive value."));
        }

        int rf = topic.ReplicationFactor == -1 ? config.DefaultReplicationFactor : topic.ReplicationFactor;
        if (rf <= 0)
        {
            return (null, (ErrorCode.InvalidReplicationFactor, "Replication factor must be larger than 0, or -1 to use the default value."));
        }

        if (ReplicaPlacer.CheckReplicationFactor(rf, liveBrokers.Count) is { } tooFew)
        {
            return (null, tooFew);
        }

        if (partitions > MaxRecordsPerOperation)
        {
            return (null, (ErrorCode.PolicyViolation, $"Unable to create topic {topic.Name}: {partitions} partitions exceed the limit of {MaxRecordsPerOperation} per request."));
        }

        return ([.. ReplicaPlacer.Place(liveBrokers, 0, partitions, rf, random.Next(liveBrokers.Count))], null);
    }

    private static (List<int[]>?, (ErrorCode, string)?) ManualAssignment(MetadataImage image, List<CreateTopicsRequest.CreatableReplicaAssignment> assignments)
    {
        var byIndex = new SortedDictionary<int, List<int>>();
        foreach (var a in assignments)
        {
            if (!byIndex.TryAdd(a.PartitionIndex, a.BrokerIds))
            {
                return (null, (ErrorCode.InvalidReplicaAssignment, $"Partition {a.PartitionIndex} is assigned more than once."));
            }
        }

        if (byIndex.Keys.First() != 0 || byIndex.Keys.Last() != byIndex.Count - 1)
        {
            return (null, (ErrorCode.InvalidReplicaAssignment, "Partitions should be a consecutive 0-based integer sequence"));
        }

        var result = new List<int[]>(byIndex.Count);
        var replicationFactor = byIndex[0].Count;
        foreach (var (partition, brokers) in byIndex)
        {
            if (PartitionAssignments.Validate(image, partition, brokers) is { } error)
            {
                return (null, (ErrorCode.InvalidReplicaAssignment, error));
            }

            if (brokers.Count != replicationFactor)
            {
                return (null, (ErrorCode.InvalidReplicaAssignment, "All partitions in the manual partition assignment should have the same number of replicas."));
            }

            result.Add([.. brokers]);
        }

        return (result, null);
    }

    private static void FillSuccess(CreateTopicsResponse.CreatableTopicResult result, MetadataImage image, TopicConfigResolver resolver,
        IReadOnlyDictionary<string, string> overrides, List<int[]> assignment, Guid id)
    {
        result.TopicId = id;
        result.NumPartitions = assignment.Count;
        result.ReplicationFactor = (short)assignment[0].Length;
        result.Configs = [.. resolver.Describe(image, overrides).Select(c => new CreateTopicsResponse.CreatableTopicConfigs
        {
            Name = c.Name,
            Value = c.IsSensitive ? null : c.Value,
            ReadOnly = c.ReadOnly,
            ConfigSource = (sbyte)c.Source,
            IsSensitive = c.IsSensitive,
        })];
    }

    /// <summary>A fresh topic id: never the zero UUID and never one already in use.</summary>
    internal static Guid NewId(MetadataImage image, Func<Guid> newTopicId)
    {
        while (true)
        {
            var id = newTopicId();
            if (id != Guid.Empty && !image.TopicNamesById.ContainsKey(id))
            {
                return id;
            }
        }
    }
}
