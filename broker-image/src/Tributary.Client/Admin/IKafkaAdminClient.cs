using Tributary.Client.Cluster;

namespace Tributary.Client.Admin;

/// <summary>
/// Kafka admin operations. Per-item operations return a result per item (topic, partition, group,
/// resource) instead of failing as a whole; retriable item errors are retried internally first.
/// Whole-request failures (no broker reachable, API unsupported: <see cref="Tributary.Protocol.ErrorCode.UnsupportedVersion"/>)
/// raise <see cref="KafkaException"/>.
/// </summary>
public interface IKafkaAdminClient : IAsyncDisposable
{
    Task<IReadOnlyDictionary<string, CreateTopicResult>> CreateTopicsAsync(IEnumerable<NewTopic> topics, bool validateOnly = false, CancellationToken cancellationToken = default);

    Task<IReadOnlyDictionary<string, AdminResult>> DeleteTopicsAsync(IEnumerable<string> topics, CancellationToken cancellationToken = default);

    /// <summary>Raises each topic's partition count to the given total.</summary>
    Task<IReadOnlyDictionary<string, AdminResult>> CreatePartitionsAsync(IReadOnlyDictionary<string, int> totalCounts, bool validateOnly = false, CancellationToken cancellationToken = default);

    /// <summary>
    /// Raises each topic's partition count to the given total, placing the new partitions on the
    /// given brokers (one broker id list per new partition, in order) where <paramref name="newAssignments"/> has the topic.
    /// </summary>
    Task<IReadOnlyDictionary<string, AdminResult>> CreatePartitionsAsync(IReadOnlyDictionary<string, int> totalCounts,
        IReadOnlyDictionary<string, IReadOnlyList<IReadOnlyList<int>>> newAssignments, bool validateOnly = false, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<TopicListing>> ListTopicsAsync(bool includeInternal = false, CancellationToken cancellationToken = default);

    /// <summary>
    /// Partitions with leader, replicas, ISR and offline replicas. A missing topic has Error
    /// UnknownTopicOrPartition. (Brokers that only speak Metadata v1-3 may auto-create topics here.)
    /// </summary>
    Task<IReadOnlyDictionary<string, TopicMetadata>> DescribeTopicsAsync(IEnumerable<string> topics, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ConfigDescription>> DescribeConfigsAsync(IEnumerable<ConfigResource> resources, CancellationToken cancellationToken = default);

    /// <summary>Like <see cref="DescribeConfigsAsync(IEnumerable{ConfigResource}, CancellationToken)"/>; with <paramref name="includeSynonyms"/> each entry lists where its value could come from.</summary>
    Task<IReadOnlyList<ConfigDescription>> DescribeConfigsAsync(IEnumerable<ConfigResource> resources, bool includeSynonyms, CancellationToken cancellationToken = default);

    Task<IReadOnlyDictionary<ConfigResource, AdminResult>> IncrementalAlterConfigsAsync(
        IReadOnlyDictionary<ConfigResource, IReadOnlyList<ConfigAlteration>> changes, bool validateOnly = false, CancellationToken cancellationToken = default);

    /// <summary>Replaces a resource's whole dynamic config set (the legacy API; prefer incremental).</summary>
    Task<IReadOnlyDictionary<ConfigResource, AdminResult>> AlterConfigsAsync(
        IReadOnlyDictionary<ConfigResource, IReadOnlyDictionary<string, string?>> configs, bool validateOnly = false, CancellationToken cancellationToken = default);

    /// <summary>Cluster id, controller and brokers with racks (DescribeCluster, or Metadata where DescribeCluster is unsupported).</summary>
    Task<ClusterDescription> DescribeClusterAsync(CancellationToken cancellationToken = default);

    Task<IReadOnlyDictionary<TopicPartition, ListOffsetsResult>> ListOffsetsAsync(IReadOnlyDictionary<TopicPartition, OffsetSpec> partitions,
        bool readCommitted = false, CancellationToken cancellationToken = default);

    /// <summary>Deletes records before the given offsets (-1: up to the high watermark).</summary>
    Task<IReadOnlyDictionary<TopicPartition, DeleteRecordsResult>> DeleteRecordsAsync(IReadOnlyDictionary<TopicPartition, long> beforeOffsets,
        CancellationToken cancellationToken = default);

    /// <summary>Groups on every broker.</summary>
    Task<IReadOnlyList<GroupListing>> ListGroupsAsync(CancellationToken cancellationToken = default);

    Task<IReadOnlyList<GroupDescription>> DescribeGroupsAsync(IEnumerable<string> groupIds, CancellationToken cancellationToken = default);

    /// <summary>A group's committed offsets (all partitions when <paramref name="partitions"/> is null); -1 where none is committed.</summary>
    Task<IReadOnlyDictionary<TopicPartition, OffsetAndMetadata>> ListConsumerGroupOffsetsAsync(string groupId,
        IReadOnlyCollection<TopicPartition>? partitions = null, CancellationToken cancellationToken = default);

    Task<IReadOnlyDictionary<string, AdminResult>> DeleteGroupsAsync(IEnumerable<string> groupIds, CancellationToken cancellationToken = default);

    /// <summary>Elects leaders; null partitions means every partition (preferred elections only).</summary>
    Task<IReadOnlyDictionary<TopicPartition, AdminResult>> ElectLeadersAsync(ElectionType type, IEnumerable<TopicPartition>? partitions,
        CancellationToken cancellationToken = default);

    /// <summary>Starts (replica list) or cancels (null) reassignments.</summary>
    Task<IReadOnlyDictionary<TopicPartition, AdminResult>> AlterPartitionReassignmentsAsync(
        IReadOnlyDictionary<TopicPartition, IReadOnlyList<int>?> reassignments, CancellationToken cancellationToken = default);

    /// <summary>Ongoing reassignments (of the given partitions, or all when null).</summary>
    Task<IReadOnlyDictionary<TopicPartition, PartitionReassignment>> ListPartitionReassignmentsAsync(
        IEnumerable<TopicPartition>? partitions = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates ACLs (any broker; KRaft brokers forward to the controller). Every binding must be
    /// concrete (no Any/Match/Unknown parts). Returns a result per binding.
    /// </summary>
    Task<IReadOnlyDictionary<AclBinding, AdminResult>> CreateAclsAsync(IEnumerable<AclBinding> bindings, CancellationToken cancellationToken = default);

    /// <summary>The ACLs matching <paramref name="filter"/>; a broker-side error (e.g. no authorizer: SecurityDisabled) raises <see cref="KafkaException"/>.</summary>
    Task<IReadOnlyList<AclBinding>> DescribeAclsAsync(AclBindingFilter filter, CancellationToken cancellationToken = default);

    /// <summary>Deletes the ACLs matching each filter; returns per filter what it matched and deleted.</summary>
    Task<IReadOnlyDictionary<AclBindingFilter, DeleteAclsResult>> DeleteAclsAsync(IEnumerable<AclBindingFilter> filters, CancellationToken cancellationToken = default);

    /// <summary>The KRaft metadata quorum: leader, epoch, high watermark, voters and observers with their log end offsets.</summary>
    Task<QuorumInfo> DescribeQuorumAsync(CancellationToken cancellationToken = default);
}
