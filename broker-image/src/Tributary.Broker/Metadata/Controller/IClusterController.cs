using Tributary.Broker.Producers;
using Tributary.Protocol;
using Tributary.Protocol.Messages;

namespace Tributary.Broker.Metadata.Controller;

/// <summary>
/// The active controller's operations, as the admin handlers call them. Each validates against
/// the current metadata image, commits the resulting metadata records and completes once the new
/// image is published, so a handler's next read of <see cref="IMetadataView.Current"/> sees the change.
/// The single-node implementation is <see cref="QuorumController"/>; a Raft controller (or a
/// forwarding client on non-controller brokers) implements the same interface.
/// </summary>
public interface IClusterController
{
    /// <summary>Creates topics; results (v5+ fields filled) in request order. Honors validateOnly.</summary>
    ValueTask<CreateTopicsResponse> CreateTopicsAsync(CreateTopicsRequest request, CancellationToken ct);

    /// <summary>Deletes topics named by name or id; results in request order.</summary>
    ValueTask<List<DeleteTopicsResponse.DeletableTopicResult>> DeleteTopicsAsync(IReadOnlyList<DeleteTopicsRequest.DeleteTopicState> topics, CancellationToken ct);

    /// <summary>Adds partitions to existing topics. Honors ValidateOnly.</summary>
    ValueTask<CreatePartitionsResponse> CreatePartitionsAsync(CreatePartitionsRequest request, CancellationToken ct);

    /// <summary>Replaces the dynamic configs of topics and brokers (legacy AlterConfigs).</summary>
    ValueTask<List<ConfigChangeResult>> AlterConfigsAsync(AlterConfigsRequest request, CancellationToken ct);

    /// <summary>Applies SET/DELETE/APPEND/SUBTRACT to topic and broker configs.</summary>
    ValueTask<List<ConfigChangeResult>> IncrementalAlterConfigsAsync(IncrementalAlterConfigsRequest request, CancellationToken ct);

    /// <summary>
    /// Creates ACL bindings (AccessControlEntryRecord); results in request order, INVALID_REQUEST for a
    /// binding Kafka refuses. An existing binding succeeds without a change.
    /// </summary>
    ValueTask<CreateAclsResponse> CreateAclsAsync(CreateAclsRequest request, CancellationToken ct);

    /// <summary>Deletes the ACLs each filter matches; per filter the ACLs it matched, in request order.</summary>
    ValueTask<DeleteAclsResponse> DeleteAclsAsync(DeleteAclsRequest request, CancellationToken ct);

    /// <summary>
    /// Reserves the next block of <see cref="ProducerIdBlock.DefaultSize"/> producer ids for a broker
    /// (ProducerIdsRecord), persisted before it is returned so ids are never reused.
    /// Errors: BROKER_ID_NOT_REGISTERED, STALE_BROKER_EPOCH (when <paramref name="brokerEpoch"/> is not -1).
    /// </summary>
    ValueTask<(ErrorCode Error, ProducerIdBlock Block)> AllocateProducerIdsAsync(int brokerId, long brokerEpoch, CancellationToken ct);

    /// <summary>
    /// Creates an internal topic (e.g. <c>__transaction_state</c>) when missing, with
    /// RF = min(<paramref name="replicationFactor"/>, live brokers). Returns NONE when it exists or was created.
    /// </summary>
    ValueTask<ErrorCode> EnsureInternalTopicAsync(string name, int partitions, short replicationFactor, IReadOnlyDictionary<string, string> configs, CancellationToken ct);
}
