using Tributary.Protocol.Messages;

namespace Tributary.Broker.Metadata.Controller;

/// <summary>
/// The requests only the active controller serves (besides <see cref="IClusterController"/>'s admin
/// operations): broker lifecycle, partition state from leaders, elections and reassignments. Each answers
/// NOT_CONTROLLER when this node is not, or stops being, the active controller while handling it.
/// Request-level signatures keep forwarding from broker-only nodes a plain pass-through.
/// </summary>
public interface IActiveController
{
    /// <summary>BrokerRegistration (62): registers the broker fenced and answers its new epoch.</summary>
    ValueTask<BrokerRegistrationResponse> RegisterBrokerAsync(BrokerRegistrationRequest request, CancellationToken ct);

    /// <summary>BrokerHeartbeat (63): keeps the session alive and moves the broker through its lifecycle.</summary>
    ValueTask<BrokerHeartbeatResponse> HeartbeatAsync(BrokerHeartbeatRequest request, CancellationToken ct);

    /// <summary>AlterPartition (56, v0-3): ISR changes from partition leaders.</summary>
    ValueTask<AlterPartitionResponse> AlterPartitionAsync(AlterPartitionRequest request, short version, CancellationToken ct);

    /// <summary>ElectLeaders (43, v0-2): preferred and unclean elections.</summary>
    ValueTask<ElectLeadersResponse> ElectLeadersAsync(ElectLeadersRequest request, short version, CancellationToken ct);

    /// <summary>AlterPartitionReassignments (45): start, change or cancel reassignments.</summary>
    ValueTask<AlterPartitionReassignmentsResponse> AlterPartitionReassignmentsAsync(AlterPartitionReassignmentsRequest request, CancellationToken ct);

    /// <summary>ListPartitionReassignments (46): the ongoing reassignments.</summary>
    ValueTask<ListPartitionReassignmentsResponse> ListPartitionReassignmentsAsync(ListPartitionReassignmentsRequest request, CancellationToken ct);
}
