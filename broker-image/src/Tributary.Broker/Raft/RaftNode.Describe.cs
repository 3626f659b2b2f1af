using Tributary.Protocol;
using Tributary.Protocol.Messages;

namespace Tributary.Broker.Raft;

/// <summary>DescribeQuorum: the leader's view of voters and observers (kafka-metadata-quorum describe).</summary>
public sealed partial class RaftNode
{
    private DescribeQuorumResponse HandleDescribeQuorumRequest(DescribeQuorumRequest request)
    {
        if (request.Topics.Count != 1 || request.Topics[0].TopicName != _config.TopicName || request.Topics[0].Partitions.Count != 1)
        {
            return new DescribeQuorumResponse { ErrorCode = (short)ErrorCode.InvalidRequest, ErrorMessage = "expected one partition of the metadata topic" };
        }

        var partition = new DescribeQuorumResponse.PartitionData
        {
            LeaderId = AdvertisedLeaderId,
            LeaderEpoch = _epoch,
            HighWatermark = _highWatermark,
        };

        if (Role != RaftRole.Leader)
        {
            partition.ErrorCode = (short)ErrorCode.NotLeaderOrFollower;
            partition.ErrorMessage = "only the leader describes the quorum";
        }
        else
        {
            foreach (var voter in _config.Voters)
            {
                partition.CurrentVoters.Add(voter == NodeId
                    ? new DescribeQuorumResponse.ReplicaState { ReplicaId = NodeId, LogEndOffset = _log.EndOffset }
                    : Describe(_voterProgress[voter]));
            }

            foreach (var observer in _observerProgress.Values.OrderBy(p => p.NodeId))
            {
                partition.Observers.Add(Describe(observer));
            }
        }

        return new DescribeQuorumResponse
        {
            Topics = [new DescribeQuorumResponse.TopicData { TopicName = _config.TopicName, Partitions = [partition] }],
        };
    }

    private static DescribeQuorumResponse.ReplicaState Describe(ReplicaProgress progress) => new()
    {
        ReplicaId = progress.NodeId,
        LogEndOffset = progress.EndOffset,
        LastFetchTimestamp = progress.LastFetchTime,
    };
}
