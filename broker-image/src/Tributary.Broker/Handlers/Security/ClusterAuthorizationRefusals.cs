using Tributary.Protocol;
using Tributary.Protocol.Messages;

namespace Tributary.Broker.Handlers.Security;

/// <summary>
/// The CLUSTER_AUTHORIZATION_FAILED answer of each API that <see cref="ClusterAuthorizedHandler"/>
/// guards, shaped as Kafka's <c>getErrorResponse</c>: a top-level error, and for ElectLeaders also
/// the error on every requested partition (v0 has no top-level error).
/// </summary>
public static class ClusterAuthorizationRefusals
{
    private const short Error = (short)ErrorCode.ClusterAuthorizationFailed;
    private const string Message = AclApiErrors.ClusterAuthorizationFailed;

    public static IApiResponse For(IApiRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request switch
        {
            VoteRequest => new VoteResponse { ErrorCode = Error },
            BeginQuorumEpochRequest => new BeginQuorumEpochResponse { ErrorCode = Error },
            EndQuorumEpochRequest => new EndQuorumEpochResponse { ErrorCode = Error },
            FetchSnapshotRequest => new FetchSnapshotResponse { ErrorCode = Error },
            DescribeQuorumRequest => new DescribeQuorumResponse { ErrorCode = Error, ErrorMessage = Message },
            BrokerRegistrationRequest => new BrokerRegistrationResponse { ErrorCode = Error },
            BrokerHeartbeatRequest => new BrokerHeartbeatResponse { ErrorCode = Error },
            AlterPartitionRequest => new AlterPartitionResponse { ErrorCode = Error },
            AllocateProducerIdsRequest => new AllocateProducerIdsResponse { ErrorCode = Error },
            AlterPartitionReassignmentsRequest => new AlterPartitionReassignmentsResponse { ErrorCode = Error, ErrorMessage = Message },
            ListPartitionReassignmentsRequest => new ListPartitionReassignmentsResponse { ErrorCode = Error, ErrorMessage = Message },
            ElectLeadersRequest elect => new ElectLeadersResponse
            {
                ErrorCode = Error,
                ReplicaElectionResults = [.. (elect.TopicPartitions ?? []).Select(t => new ElectLeadersResponse.ReplicaElectionResult
                {
                    Topic = t.Topic,
                    PartitionResult = [.. t.Partitions.Select(p => new ElectLeadersResponse.PartitionResult { PartitionId = p, ErrorCode = Error, ErrorMessage = Message })],
                })],
            },
            _ => throw new ArgumentException($"no cluster-authorization answer defined for {request.ApiKey}", nameof(request)),
        };
    }
}
