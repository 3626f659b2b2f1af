using Tributary.Client.Cluster;
using Tributary.Client.Consumer;
using Tributary.Client.Network;
using Tributary.Protocol;
using Tributary.Protocol.Messages;

namespace Tributary.Client.Admin;

/// <summary>
/// The admin client: each operation picks its target (controller, partition leader, group
/// coordinator, a given broker, any broker), negotiates the API version, and retries retriable
/// errors per item through <see cref="ClusterClient"/>.
/// </summary>
public sealed class KafkaAdminClient : IKafkaAdminClient
{
    /// <summary>The KRaft metadata log, whose quorum DescribeQuorum reports.</summary>
    public const string ClusterMetadataTopic = "__cluster_metadata";

    private readonly ClusterClient _cluster;
    private readonly bool _ownsCluster;

    public KafkaAdminClient(ClientOptions options, IKafkaConnectionFactory? connectionFactory = null)
        : this(new ClusterClient(options, connectionFactory), ownsCluster: true)
    {
    }

    /// <summary>Shares another client's connections and metadata; the cluster client stays the caller's to dispose.</summary>
    public KafkaAdminClient(ClusterClient cluster)
        : this(cluster, ownsCluster: false)
    {
    }

    private KafkaAdminClient(ClusterClient cluster, bool ownsCluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        _cluster = cluster;
        _ownsCluster = ownsCluster;
    }

    private TimeSpan Timeout => _cluster.Options.RequestTimeout;

    private int TimeoutMs => (int)Math.Min(int.MaxValue, Timeout.TotalMilliseconds);

    public async Task<IReadOnlyDictionary<string, CreateTopicResult>> CreateTopicsAsync(IEnumerable<NewTopic> topics, bool validateOnly = false,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(topics);
        var byName = topics.ToDictionary(t => t.Name, StringComparer.Ordinal);
        return await _cluster.RetryPerItemAsync(byName.Keys, async (names, ct) =>
        {
            var connection = await _cluster.ConnectControllerAsync(ct).ConfigureAwait(false);
            var response = await _cluster.SendAsync<CreateTopicsResponse>(connection, ApiKey.CreateTopics, 0, 7, _ => new CreateTopicsRequest
            {
                timeoutMs = TimeoutMs,
                validateOnly = validateOnly,
                Topics = names.Select(n => byName[n]).Select(t => new CreateTopicsRequest.CreatableTopic
                {
                    Name = t.Name,
                    NumPartitions = t.ReplicaAssignment.Count > 0 ? -1 : t.NumPartitions,
                    ReplicationFactor = t.ReplicaAssignment.Count > 0 ? (short)-1 : t.ReplicationFactor,
                    Assignments = t.ReplicaAssignment.Select(a => new CreateTopicsRequest.CreatableReplicaAssignment
                    {
                        PartitionIndex = a.Key,
                        BrokerIds = a.Value.ToList(),
                    }).ToList(),
                    Configs = t.Configs.Select(c => new CreateTopicsRequest.CreatableTopicConfig { Name = c.Key, Value = c.Value }).ToList(),
                }).ToList(),
            }, ct, Timeout).ConfigureAwait(false);
            return response.Topics.ToDictionary(t => t.Name, t => new CreateTopicResult((ErrorCode)t.ErrorCode, t.ErrorMessage, t.TopicId,
                t.NumPartitions, t.ReplicationFactor), StringComparer.Ordinal);
        }, r => r.Error, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyDictionary<string, AdminResult>> DeleteTopicsAsync(IEnumerable<string> topics, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(topics);
        var names = topics.Distinct(StringComparer.Ordinal).ToList();
        var results = await _cluster.RetryPerItemAsync(names, async (pending, ct) =>
        {
            var connection = await _cluster.ConnectControllerAsync(ct).ConfigureAwait(false);
            var response = await _cluster.SendAsync<DeleteTopicsResponse>(connection, ApiKey.DeleteTopics, 0, 6, version => version >= 6
                ? new DeleteTopicsRequest { TimeoutMs = TimeoutMs, Topics = pending.Select(n => new DeleteTopicsRequest.DeleteTopicState { Name = n }).ToList() }
                : new DeleteTopicsRequest { TimeoutMs = TimeoutMs, TopicNames = pending.ToList() }, ct, Timeout).ConfigureAwait(false);
            return response.Responses.Where(r => r.Name is not null)
                .ToDictionary(r => r.Name!, r => AdminResult.From(r.ErrorCode, r.ErrorMessage), StringComparer.Ordinal);
        }, r => r.Error, cancellationToken).ConfigureAwait(false);
        _cluster.InvalidateMetadata();
        return results;
    }

    public Task<IReadOnlyDictionary<string, AdminResult>> CreatePartitionsAsync(IReadOnlyDictionary<string, int> totalCounts, bool validateOnly = false,
        CancellationToken cancellationToken = default) =>
        CreatePartitionsAsync(totalCounts, new Dictionary<string, IReadOnlyList<IReadOnlyList<int>>>(), validateOnly, cancellationToken);

    public async Task<IReadOnlyDictionary<string, AdminResult>> CreatePartitionsAsync(IReadOnlyDictionary<string, int> totalCounts,
        IReadOnlyDictionary<string, IReadOnlyList<IReadOnlyList<int>>> newAssignments, bool validateOnly = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(totalCounts);
        ArgumentNullException.ThrowIfNull(newAssignments);
        var results = await _cluster.RetryPerItemAsync(totalCounts.Keys.ToList(), async (pending, ct) =>
        {
            var connection = await _cluster.ConnectControllerAsync(ct).ConfigureAwait(false);
            var response = await _cluster.SendAsync<CreatePartitionsResponse>(connection, ApiKey.CreatePartitions, 0, 3, _ => new CreatePartitionsRequest
            {
                TimeoutMs = TimeoutMs,
                ValidateOnly = validateOnly,
                Topics = pending.Select(n => new CreatePartitionsRequest.CreatePartitionsTopic
                {
                    Name = n,
                    Count = totalCounts[n],
                    Assignments = newAssignments.TryGetValue(n, out var assignment)
                        ? assignment.Select(ids => new CreatePartitionsRequest.CreatePartitionsAssignment { BrokerIds = ids.ToList() }).ToList()
                        : null,
                }).ToList(),
            }, ct, Timeout).ConfigureAwait(false);
            return response.Results.ToDictionary(r => r.Name, r => AdminResult.From(r.ErrorCode, r.ErrorMessage), StringComparer.Ordinal);
        }, r => r.Error, cancellationToken).ConfigureAwait(false);
        _cluster.InvalidateMetadata();
        return results;
    }

    public async Task<IReadOnlyList<TopicListing>> ListTopicsAsync(bool includeInternal = false, CancellationToken cancellationToken = default)
    {
        var metadata = await _cluster.RetryAsync(ct => _cluster.RefreshMetadataAsync(null, false, ct), cancellationToken).ConfigureAwait(false);
        return metadata.Topics.Values
            .Where(t => t.Error == ErrorCode.None && (includeInternal || !t.IsInternal))
            .OrderBy(t => t.Name, StringComparer.Ordinal)
            .Select(t => new TopicListing(t.Name, t.TopicId, t.IsInternal))
            .ToList();
    }

    public async Task<IReadOnlyDictionary<string, TopicMetadata>> DescribeTopicsAsync(IEnumerable<string> topics, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(topics);
        var names = topics.Distinct(StringComparer.Ordinal).ToList();
        return await _cluster.RetryPerItemAsync(names, async (pending, ct) =>
        {
            var connection = await _cluster.ConnectAnyAsync(ct).ConfigureAwait(false);
            var response = await _cluster.SendAsync<MetadataResponse>(connection, ApiKey.Metadata, 1, 12, _ => new MetadataRequest
            {
                Topics = pending.Select(n => new MetadataRequest.MetadataRequestTopic { Name = n }).ToList(),
                AllowAutoTopicCreation = false,
            }, ct).ConfigureAwait(false);
            var snapshot = ClusterMetadata.Empty.With(response, allTopics: false, DateTimeOffset.UtcNow);
            var result = new Dictionary<string, TopicMetadata>(StringComparer.Ordinal);
            foreach (var name in pending)
            {
                // UNKNOWN_TOPIC_OR_PARTITION is final here (the topic does not exist), not a reason to retry.
                result[name] = snapshot.Topics.TryGetValue(name, out var topic)
                    ? topic
                    : new TopicMetadata(name, Guid.Empty, false, ErrorCode.UnknownTopicOrPartition, []);
            }

            return result;
        }, t => t.Error == ErrorCode.UnknownTopicOrPartition ? ErrorCode.None : t.Error, cancellationToken).ConfigureAwait(false);
    }

    public Task<IReadOnlyList<ConfigDescription>> DescribeConfigsAsync(IEnumerable<ConfigResource> resources, CancellationToken cancellationToken = default) =>
        DescribeConfigsAsync(resources, includeSynonyms: false, cancellationToken);

    public async Task<IReadOnlyList<ConfigDescription>> DescribeConfigsAsync(IEnumerable<ConfigResource> resources, bool includeSynonyms,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(resources);
        var list = resources.Distinct().ToList();
        var results = new Dictionary<ConfigResource, ConfigDescription>();
        foreach (var group in list.GroupBy(TargetBroker))
        {
            var answers = await _cluster.RetryPerItemAsync(group.ToList(), async (pending, ct) =>
            {
                var connection = await ConnectForResourceAsync(group.Key, ct).ConfigureAwait(false);
                var response = await _cluster.SendAsync<DescribeConfigsResponse>(connection, ApiKey.DescribeConfigs, 1, 4, _ => new DescribeConfigsRequest
                {
                    Resources = pending.Select(r => new DescribeConfigsRequest.DescribeConfigsResource
                    {
                        ResourceType = (sbyte)r.Type,
                        ResourceName = r.Name,
                        ConfigurationKeys = null,
                    }).ToList(),
                    IncludeSynonyms = includeSynonyms,
                }, ct).ConfigureAwait(false);
                return response.Results.ToDictionary(r => new ConfigResource((ConfigResourceType)r.ResourceType, r.ResourceName), r =>
                    new ConfigDescription(new ConfigResource((ConfigResourceType)r.ResourceType, r.ResourceName), AdminResult.From(r.ErrorCode, r.ErrorMessage),
                        r.Configs.Select(c => new ConfigEntry(c.Name, c.Value, (ConfigSource)c.ConfigSource, c.ReadOnly, c.IsDefault || c.ConfigSource == (sbyte)ConfigSource.DefaultConfig, c.IsSensitive)
                        {
                            Synonyms = c.Synonyms.Select(y => new ConfigSynonym(y.Name, y.Value, (ConfigSource)y.Source)).ToList(),
                        }).ToList()));
            }, d => d.Result.Error, cancellationToken).ConfigureAwait(false);
            foreach (var (key, value) in answers)
            {
                results[key] = value;
            }
        }

        return list.Select(r => results[r]).ToList();
    }

    public async Task<IReadOnlyDictionary<ConfigResource, AdminResult>> IncrementalAlterConfigsAsync(
        IReadOnlyDictionary<ConfigResource, IReadOnlyList<ConfigAlteration>> changes, bool validateOnly = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var results = new Dictionary<ConfigResource, AdminResult>();
        foreach (var group in changes.Keys.GroupBy(TargetBroker))
        {
            var answers = await _cluster.RetryPerItemAsync(group.ToList(), async (pending, ct) =>
            {
                var connection = await ConnectForResourceAsync(group.Key, ct).ConfigureAwait(false);
                var response = await _cluster.SendAsync<IncrementalAlterConfigsResponse>(connection, ApiKey.IncrementalAlterConfigs, 0, 1, _ => new IncrementalAlterConfigsRequest
                {
                    ValidateOnly = validateOnly,
                    Resources = pending.Select(r => new IncrementalAlterConfigsRequest.AlterConfigsResource
                    {
                        ResourceType = (sbyte)r.Type,
                        ResourceName = r.Name,
                        Configs = changes[r].Select(c => new IncrementalAlterConfigsRequest.AlterableConfig
                        {
                            Name = c.Name,
                            ConfigOperation = (sbyte)c.Operation,
                            Value = c.Operation == AlterConfigOperation.Delete ? null : c.Value,
                        }).ToList(),
                    }).ToList(),
                }, ct).ConfigureAwait(false);
                return response.Responses.ToDictionary(r => new ConfigResource((ConfigResourceType)r.ResourceType, r.ResourceName),
                    r => AdminResult.From(r.ErrorCode, r.ErrorMessage));
            }, r => r.Error, cancellationToken).ConfigureAwait(false);
            foreach (var (key, value) in answers)
            {
                results[key] = value;
            }
        }

        return results;
    }

    public async Task<IReadOnlyDictionary<ConfigResource, AdminResult>> AlterConfigsAsync(
        IReadOnlyDictionary<ConfigResource, IReadOnlyDictionary<string, string?>> configs, bool validateOnly = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(configs);
        var results = new Dictionary<ConfigResource, AdminResult>();
        foreach (var group in configs.Keys.GroupBy(TargetBroker))
        {
            var answers = await _cluster.RetryPerItemAsync(group.ToList(), async (pending, ct) =>
            {
                var connection = await ConnectForResourceAsync(group.Key, ct).ConfigureAwait(false);
                var response = await _cluster.SendAsync<AlterConfigsResponse>(connection, ApiKey.AlterConfigs, 0, 2, _ => new AlterConfigsRequest
                {
                    ValidateOnly = validateOnly,
                    Resources = pending.Select(r => new AlterConfigsRequest.AlterConfigsResource
                    {
                        ResourceType = (sbyte)r.Type,
                        ResourceName = r.Name,
                        Configs = configs[r].Select(c => new AlterConfigsRequest.AlterableConfig { Name = c.Key, Value = c.Value }).ToList(),
                    }).ToList(),
                }, ct).ConfigureAwait(false);
                return response.Responses.ToDictionary(r => new ConfigResource((ConfigResourceType)r.ResourceType, r.ResourceName),
                    r => AdminResult.From(r.ErrorCode, r.ErrorMessage));
            }, r => r.Error, cancellationToken).ConfigureAwait(false);
            foreach (var (key, value) in answers)
            {
                results[key] = value;
            }
        }

        return results;
    }

    /// <summary>Per-broker configs are served by that broker; everything else by any broker (-1).</summary>
    private static int TargetBroker(ConfigResource resource) =>
        resource.Type is ConfigResourceType.Broker or ConfigResourceType.BrokerLogger
        && int.TryParse(resource.Name, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id)
            ? id
            : -1;

    private Task<IKafkaConnection> ConnectForResourceAsync(int broker, CancellationToken cancellationToken) =>
        broker >= 0 ? _cluster.ConnectNodeAsync(broker, cancellationToken) : _cluster.ConnectAnyAsync(cancellationToken);

    public Task<ClusterDescription> DescribeClusterAsync(CancellationToken cancellationToken = default) =>
        _cluster.RetryAsync(async ct =>
        {
            var connection = await _cluster.ConnectAnyAsync(ct).ConfigureAwait(false);
            if (connection.Versions.Supports(ApiKey.DescribeCluster))
            {
                var response = await _cluster.SendAsync<DescribeClusterResponse>(connection, ApiKey.DescribeCluster, 0, 1, _ => new DescribeClusterRequest(), ct)
                    .ConfigureAwait(false);
                KafkaException.ThrowIfError(response.ErrorCode, response.ErrorMessage, "DescribeCluster");
                return new ClusterDescription(response.ClusterId, response.ControllerId,
                    response.Brokers.OrderBy(b => b.BrokerId).Select(b => new BrokerNode(b.BrokerId, b.Host, b.Port, b.Rack)).ToList());
            }

            var metadata = await _cluster.RefreshMetadataAsync([], false, ct).ConfigureAwait(false);
            return new ClusterDescription(metadata.ClusterId, metadata.ControllerId, metadata.Brokers.Values.OrderBy(b => b.Id).ToList());
        }, cancellationToken);

    public async Task<IReadOnlyDictionary<TopicPartition, ListOffsetsResult>> ListOffsetsAsync(IReadOnlyDictionary<TopicPartition, OffsetSpec> partitions,
        bool readCommitted = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        return await _cluster.RetryPerItemAsync(partitions.Keys.ToList(), async (pending, ct) =>
        {
            var leaders = await LeadersAsync(pending, ct).ConfigureAwait(false);
            var tasks = leaders.Select(async group =>
            {
                var connection = await _cluster.ConnectNodeAsync(group.Key, ct).ConfigureAwait(false);
                var minVersion = partitions.Values.Any(s => s.Timestamp == OffsetSpec.MaxTimestamp.Timestamp) ? (short)7 : (short)1;
                var response = await _cluster.SendAsync<ListOffsetsResponse>(connection, ApiKey.ListOffsets, minVersion, 9, _ => new ListOffsetsRequest
                {
                    ReplicaId = -1,
                    IsolationLevel = (sbyte)(readCommitted ? 1 : 0),
                    TimeoutMs = TimeoutMs,
                    Topics = group.GroupBy(p => p.Topic, StringComparer.Ordinal).Select(t => new ListOffsetsRequest.ListOffsetsTopic
                    {
                        Name = t.Key,
                        Partitions = t.Select(p => new ListOffsetsRequest.ListOffsetsPartition { PartitionIndex = p.Partition, Timestamp = partitions[p].Timestamp }).ToList(),
                    }).ToList(),
                }, ct).ConfigureAwait(false);
                return response.Topics.SelectMany(t => t.Partitions.Select(p => (Key: new TopicPartition(t.Name, p.PartitionIndex),
                    Value: new ListOffsetsResult((ErrorCode)p.ErrorCode, p.Offset, p.Timestamp, p.LeaderEpoch))));
            });
            return (await Task.WhenAll(tasks).ConfigureAwait(false)).SelectMany(x => x).ToDictionary(x => x.Key, x => x.Value);
        }, r => r.Error, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyDictionary<TopicPartition, DeleteRecordsResult>> DeleteRecordsAsync(IReadOnlyDictionary<TopicPartition, long> beforeOffsets,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(beforeOffsets);
        return await _cluster.RetryPerItemAsync(beforeOffsets.Keys.ToList(), async (pending, ct) =>
        {
            var leaders = await LeadersAsync(pending, ct).ConfigureAwait(false);
            var tasks = leaders.Select(async group =>
            {
                var connection = await _cluster.ConnectNodeAsync(group.Key, ct).ConfigureAwait(false);
                var response = await _cluster.SendAsync<DeleteRecordsResponse>(connection, ApiKey.DeleteRecords, 0, 2, _ => new DeleteRecordsRequest
                {
                    TimeoutMs = TimeoutMs,
                    Topics = group.GroupBy(p => p.Topic, StringComparer.Ordinal).Select(t => new DeleteRecordsRequest.DeleteRecordsTopic
                    {
                        Name = t.Key,
                        Partitions = t.Select(p => new DeleteRecordsRequest.DeleteRecordsPartition { PartitionIndex = p.Partition, Offset = beforeOffsets[p] }).ToList(),
                    }).ToList(),
                }, ct).ConfigureAwait(false);
                return response.Topics.SelectMany(t => t.Partitions.Select(p => (Key: new TopicPartition(t.Name, p.PartitionIndex),
                    Value: new DeleteRecordsResult((ErrorCode)p.ErrorCode, p.LowWatermark))));
            });
            return (await Task.WhenAll(tasks).ConfigureAwait(false)).SelectMany(x => x).ToDictionary(x => x.Key, x => x.Value);
        }, r => r.Error, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Groups partitions by their leader; partitions without a known leader raise a retriable error.</summary>
    private async Task<IEnumerable<IGrouping<int, TopicPartition>>> LeadersAsync(IReadOnlyList<TopicPartition> partitions, CancellationToken cancellationToken)
    {
        var metadata = await _cluster.GetMetadataAsync(partitions.Select(p => p.Topic).Distinct(StringComparer.Ordinal).ToList(), false, cancellationToken)
            .ConfigureAwait(false);
        foreach (var partition in partitions)
        {
            if (metadata.PartitionOf(partition) is null)
            {
                throw new KafkaException(ErrorCode.UnknownTopicOrPartition, $"{partition} is not in the cluster metadata");
            }

            if (metadata.LeaderOf(partition) < 0)
            {
                throw new KafkaException(ErrorCode.LeaderNotAvailable, $"{partition} has no leader");
            }
        }

        return partitions.GroupBy(metadata.LeaderOf);
    }

    public async Task<IReadOnlyList<GroupListing>> ListGroupsAsync(CancellationToken cancellationToken = default)
    {
        var metadata = await _cluster.RetryAsync(ct => _cluster.RefreshMetadataAsync([], false, ct), cancellationToken).ConfigureAwait(false);
        var tasks = metadata.Brokers.Keys.Select(id => _cluster.RetryAsync(async ct =>
        {
            var connection = await _cluster.ConnectNodeAsync(id, ct).ConfigureAwait(false);
            var response = await _cluster.SendAsync<ListGroupsResponse>(connection, ApiKey.ListGroups, 0, 5, _ => new ListGroupsRequest(), ct).ConfigureAwait(false);
            KafkaException.ThrowIfError(response.ErrorCode, null, $"ListGroups on broker {id}");
            return response.Groups.Select(g => new GroupListing(g.GroupId, g.ProtocolType, g.GroupState)).ToList();
        }, cancellationToken));
        return (await Task.WhenAll(tasks).ConfigureAwait(false)).SelectMany(g => g)
            .DistinctBy(g => g.GroupId, StringComparer.Ordinal).OrderBy(g => g.GroupId, StringComparer.Ordinal).ToList();
    }

    public async Task<IReadOnlyList<GroupDescription>> DescribeGroupsAsync(IEnumerable<string> groupIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(groupIds);
        var ids = groupIds.Distinct(StringComparer.Ordinal).ToList();
        var tasks = ids.Select(id => _cluster.RetryPerItemAsync([id], async (pending, ct) =>
        {
            var connection = await _cluster.ConnectCoordinatorAsync(CoordinatorType.Group, id, ct).ConfigureAwait(false);
            var response = await _cluster.SendAsync<DescribeGroupsResponse>(connection, ApiKey.DescribeGroups, 0, 5,
                _ => new DescribeGroupsRequest { Groups = pending.ToList() }, ct).ConfigureAwait(false);
            return response.Groups.ToDictionary(g => g.GroupId, g => new GroupDescription(g.GroupId, AdminResult.From(g.ErrorCode, null), g.GroupState,
                g.ProtocolType, g.ProtocolData, g.Members.Select(m => new MemberDescription(m.MemberId, m.GroupInstanceId, m.ClientId, m.ClientHost,
                    g.ProtocolType == ConsumerProtocolCodec.ProtocolType ? ConsumerProtocolCodec.TryReadAssignment(m.MemberAssignment) : [])).ToList()),
                StringComparer.Ordinal);
        }, d => CoordinatorError(d.Result.Error, id), cancellationToken));
        var answers = await Task.WhenAll(tasks).ConfigureAwait(false);
        return answers.Select(a => a.Values.Single()).ToList();
    }

    public async Task<IReadOnlyDictionary<TopicPartition, OffsetAndMetadata>> ListConsumerGroupOffsetsAsync(string groupId,
        IReadOnlyCollection<TopicPartition>? partitions = null, CancellationToken cancellationToken = default) =>
        await GroupOffsets.FetchAsync(_cluster, groupId, partitions, requireStable: false, cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyDictionary<string, AdminResult>> DeleteGroupsAsync(IEnumerable<string> groupIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(groupIds);
        var ids = groupIds.Distinct(StringComparer.Ordinal).ToList();
        var tasks = ids.Select(id => _cluster.RetryPerItemAsync([id], async (pending, ct) =>
        {
            var connection = await _cluster.ConnectCoordinatorAsync(CoordinatorType.Group, id, ct).ConfigureAwait(false);
            var response = await _cluster.SendAsync<DeleteGroupsResponse>(connection, ApiKey.DeleteGroups, 0, 2,
                _ => new DeleteGroupsRequest { GroupsNames = pending.ToList() }, ct).ConfigureAwait(false);
            return response.Results.ToDictionary(r => r.GroupId, r => AdminResult.From(r.ErrorCode, null), StringComparer.Ordinal);
        }, r => CoordinatorError(r.Error, id), cancellationToken));
        var answers = await Task.WhenAll(tasks).ConfigureAwait(false);
        return answers.SelectMany(a => a).ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal);
    }

    /// <summary>Drops the cached coordinator when a group answer says it moved, so the retry finds the new one.</summary>
    private ErrorCode CoordinatorError(ErrorCode error, string groupId)
    {
        if (KafkaErrors.InvalidatesCoordinator(error))
        {
            _cluster.InvalidateCoordinator(CoordinatorType.Group, groupId);
        }

        return error;
    }

    public async Task<IReadOnlyDictionary<TopicPartition, AdminResult>> ElectLeadersAsync(ElectionType type, IEnumerable<TopicPartition>? partitions,
        CancellationToken cancellationToken = default)
    {
        var list = partitions?.Distinct().ToList();
        return await _cluster.RetryAsync(async ct =>
        {
            var connection = await _cluster.ConnectControllerAsync(ct).ConfigureAwait(false);
            var minVersion = type == ElectionType.Preferred ? (short)0 : (short)1;
            var response = await _cluster.SendAsync<ElectLeadersResponse>(connection, ApiKey.ElectLeaders, minVersion, 2, _ => new ElectLeadersRequest
            {
                ElectionType = (sbyte)type,
                TimeoutMs = TimeoutMs,
                TopicPartitions = list?.GroupBy(p => p.Topic, StringComparer.Ordinal)
                    .Select(g => new ElectLeadersRequest.TopicPartitionsData { Topic = g.Key, Partitions = g.Select(p => p.Partition).ToList() }).ToList(),
            }, ct, Timeout).ConfigureAwait(false);
            KafkaException.ThrowIfError(response.ErrorCode, null, "ElectLeaders");
            IReadOnlyDictionary<TopicPartition, AdminResult> result = response.ReplicaElectionResults
                .SelectMany(t => t.PartitionResult.Select(p => (Key: new TopicPartition(t.Topic, p.PartitionId), Value: AdminResult.From(p.ErrorCode, p.ErrorMessage))))
                .ToDictionary(x => x.Key, x => x.Value);
            return result;
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyDictionary<TopicPartition, AdminResult>> AlterPartitionReassignmentsAsync(
        IReadOnlyDictionary<TopicPartition, IReadOnlyList<int>?> reassignments, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reassignments);
        return await _cluster.RetryAsync(async ct =>
        {
            var connection = await _cluster.ConnectControllerAsync(ct).ConfigureAwait(false);
            var response = await _cluster.SendAsync<AlterPartitionReassignmentsResponse>(connection, ApiKey.AlterPartitionReassignments, 0, 0,
                _ => new AlterPartitionReassignmentsRequest
                {
                    TimeoutMs = TimeoutMs,
                    Topics = reassignments.GroupBy(r => r.Key.Topic, StringComparer.Ordinal).Select(g => new AlterPartitionReassignmentsRequest.ReassignableTopic
                    {
                        Name = g.Key,
                        Partitions = g.Select(r => new AlterPartitionReassignmentsRequest.ReassignablePartition
                        {
                            PartitionIndex = r.Key.Partition,
                            Replicas = r.Value?.ToList(),
                        }).ToList(),
                    }).ToList(),
                }, ct, Timeout).ConfigureAwait(false);
            KafkaException.ThrowIfError(response.ErrorCode, response.ErrorMessage, "AlterPartitionReassignments");
            IReadOnlyDictionary<TopicPartition, AdminResult> result = response.Responses
                .SelectMany(t => t.Partitions.Select(p => (Key: new TopicPartition(t.Name, p.PartitionIndex), Value: AdminResult.From(p.ErrorCode, p.ErrorMessage))))
                .ToDictionary(x => x.Key, x => x.Value);
            return result;
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyDictionary<TopicPartition, PartitionReassignment>> ListPartitionReassignmentsAsync(
        IEnumerable<TopicPartition>? partitions = null, CancellationToken cancellationToken = default)
    {
        var list = partitions?.Distinct().ToList();
        return await _cluster.RetryAsync(async ct =>
        {
            var connection = await _cluster.ConnectControllerAsync(ct).ConfigureAwait(false);
            var response = await _cluster.SendAsync<ListPartitionReassignmentsResponse>(connection, ApiKey.ListPartitionReassignments, 0, 0,
                _ => new ListPartitionReassignmentsRequest
                {
                    TimeoutMs = TimeoutMs,
                    Topics = list?.GroupBy(p => p.Topic, StringComparer.Ordinal).Select(g => new ListPartitionReassignmentsRequest.ListPartitionReassignmentsTopics
                    {
                        Name = g.Key,
                        PartitionIndexes = g.Select(p => p.Partition).ToList(),
                    }).ToList(),
                }, ct).ConfigureAwait(false);
            KafkaException.ThrowIfError(response.ErrorCode, response.ErrorMessage, "ListPartitionReassignments");
            IReadOnlyDictionary<TopicPartition, PartitionReassignment> result = response.Topics
                .SelectMany(t => t.Partitions.Select(p => (Key: new TopicPartition(t.Name, p.PartitionIndex),
                    Value: new PartitionReassignment(p.Replicas.ToArray(), p.AddingReplicas.ToArray(), p.RemovingReplicas.ToArray()))))
                .ToDictionary(x => x.Key, x => x.Value);
            return result;
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyDictionary<AclBinding, AdminResult>> CreateAclsAsync(IEnumerable<AclBinding> bindings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bindings);
        var list = bindings.Distinct().ToList();
        if (list.FirstOrDefault(b => !b.IsConcrete) is { } invalid)
        {
            throw new ArgumentException($"cannot create an ACL with Any, Match or Unknown parts: {invalid}", nameof(bindings));
        }

        // Any broker takes ACL changes (KRaft brokers forward them to the controller), as Kafka's admin client does.
        return await _cluster.RetryPerItemAsync(list, async (pending, ct) =>
        {
            var connection = await _cluster.ConnectAnyAsync(ct).ConfigureAwait(false);
            var response = await _cluster.SendAsync<CreateAclsResponse>(connection, ApiKey.CreateAcls, AclMessages.MinCreateVersion(pending), 3,
                _ => new CreateAclsRequest { Creations = pending.Select(AclMessages.ToCreation).ToList() }, ct).ConfigureAwait(false);
            if (response.Results.Count != pending.Count)
            {
                throw new KafkaException(ErrorCode.UnknownServerError, $"CreateAcls answered {response.Results.Count} results for {pending.Count} ACLs");
            }

            // Results come back in request order.
            return pending.Select((b, i) => (b, AdminResult.From(response.Results[i].ErrorCode, response.Results[i].ErrorMessage)))
                .ToDictionary(x => x.b, x => x.Item2);
        }, r => r.Error, cancellationToken).ConfigureAwait(false);
    }

    public Task<IReadOnlyList<AclBinding>> DescribeAclsAsync(AclBindingFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return _cluster.RetryAsync(async ct =>
        {
            var connection = await _cluster.ConnectAnyAsync(ct).ConfigureAwait(false);
            var version = _cluster.SelectVersion(connection, ApiKey.DescribeAcls, AclMessages.MinFilterVersion([filter]), 3);
            var response = await _cluster.SendAsync<DescribeAclsResponse>(connection, ApiKey.DescribeAcls, version, version,
                _ => AclMessages.ToDescribe(filter), ct).ConfigureAwait(false);
            KafkaException.ThrowIfError(response.ErrorCode, response.ErrorMessage, "DescribeAcls");
            return AclMessages.FromDescribe(response, version);
        }, cancellationToken);
    }

    public async Task<IReadOnlyDictionary<AclBindingFilter, DeleteAclsResult>> DeleteAclsAsync(IEnumerable<AclBindingFilter> filters,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filters);
        var list = filters.Distinct().ToList();
        return await _cluster.RetryPerItemAsync(list, async (pending, ct) =>
        {
            var connection = await _cluster.ConnectAnyAsync(ct).ConfigureAwait(false);
            var version = _cluster.SelectVersion(connection, ApiKey.DeleteAcls, AclMessages.MinFilterVersion(pending), 3);
            var response = await _cluster.SendAsync<DeleteAclsResponse>(connection, ApiKey.DeleteAcls, version, version,
                _ => new DeleteAclsRequest { Filters = pending.Select(AclMessages.ToDelete).ToList() }, ct).ConfigureAwait(false);
            if (response.FilterResults.Count != pending.Count)
            {
                throw new KafkaException(ErrorCode.UnknownServerError, $"DeleteAcls answered {response.FilterResults.Count} results for {pending.Count} filters");
            }

            return pending.Select((f, i) => (f, AclMessages.FromDelete(response.FilterResults[i], version))).ToDictionary(x => x.f, x => x.Item2);
        }, r => r.Result.Error, cancellationToken).ConfigureAwait(false);
    }

    public Task<QuorumInfo> DescribeQuorumAsync(CancellationToken cancellationToken = default) =>
        _cluster.RetryAsync(async ct =>
        {
            var connection = await _cluster.ConnectAnyAsync(ct).ConfigureAwait(false);
            var response = await _cluster.SendAsync<DescribeQuorumResponse>(connection, ApiKey.DescribeQuorum, 0, 2, _ => new DescribeQuorumRequest
            {
                Topics =
                [
                    new DescribeQuorumRequest.TopicData
                    {
                        TopicName = ClusterMetadataTopic,
                        Partitions = [new DescribeQuorumRequest.PartitionData { PartitionIndex = 0 }],
                    },
                ],
            }, ct).ConfigureAwait(false);
            KafkaException.ThrowIfError(response.ErrorCode, response.ErrorMessage, "DescribeQuorum");
            var partition = response.Topics.SelectMany(t => t.Partitions).FirstOrDefault()
                ?? throw new KafkaException(ErrorCode.UnknownServerError, "DescribeQuorum answered without the metadata partition");
            KafkaException.ThrowIfError(partition.ErrorCode, partition.ErrorMessage, "DescribeQuorum");
            return new QuorumInfo(partition.LeaderId, partition.LeaderEpoch, partition.HighWatermark,
                partition.CurrentVoters.Select(ToReplica).ToList(), partition.Observers.Select(ToReplica).ToList());
        }, cancellationToken);

    private static QuorumReplica ToReplica(DescribeQuorumResponse.ReplicaState state) =>
        new(state.ReplicaId, state.LogEndOffset, state.LastFetchTimestamp, state.LastCaughtUpTimestamp);

    public async ValueTask DisposeAsync()
    {
        if (_ownsCluster)
        {
            await _cluster.DisposeAsync().ConfigureAwait(false);
        }
    }
}
