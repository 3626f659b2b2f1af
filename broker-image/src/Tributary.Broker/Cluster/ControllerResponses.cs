using Tributary.Protocol;
using Tributary.Protocol.Messages;

namespace Tributary.Broker.Cluster;

/// <summary>
/// Reads NOT_CONTROLLER out of the responses of the APIs a broker sends to the controller. Kafka
/// puts it at the top level for the broker-to-controller APIs and per item for the admin APIs
/// (CreateTopics and friends have no top-level error), so each shape is checked explicitly.
/// </summary>
public static class ControllerResponses
{
    private const short NotController = (short)ErrorCode.NotController;

    /// <summary>True when the node that answered was not the active controller (anywhere in the response).</summary>
    public static bool IsNotController(IApiResponse response) => response switch
    {
        BrokerRegistrationResponse r => r.ErrorCode == NotController,
        BrokerHeartbeatResponse r => r.ErrorCode == NotController,
        AllocateProducerIdsResponse r => r.ErrorCode == NotController,
        AlterPartitionResponse r => r.ErrorCode == NotController || r.Topics.Any(t => t.Partitions.Any(p => p.ErrorCode == NotController)),
        CreateTopicsResponse r => r.Topics.Any(t => t.ErrorCode == NotController),
        DeleteTopicsResponse r => r.Responses.Any(t => t.ErrorCode == NotController),
        CreatePartitionsResponse r => r.Results.Any(t => t.ErrorCode == NotController),
        AlterConfigsResponse r => r.Responses.Any(t => t.ErrorCode == NotController),
        IncrementalAlterConfigsResponse r => r.Responses.Any(t => t.ErrorCode == NotController),
        ElectLeadersResponse r => r.ErrorCode == NotController
            || r.ReplicaElectionResults.Any(t => t.PartitionResult.Any(p => p.ErrorCode == NotController)),
        AlterPartitionReassignmentsResponse r => r.ErrorCode == NotController
            || r.Responses.Any(t => t.Partitions.Any(p => p.ErrorCode == NotController)),
        ListPartitionReassignmentsResponse r => r.ErrorCode == NotController,
        UpdateFeaturesResponse r => r.ErrorCode == NotController || r.Results.Any(f => f.ErrorCode == NotController),
        _ => false,
    };
}
