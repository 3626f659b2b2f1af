using Tributary.Protocol;
using Tributary.Protocol.Messages;

namespace Tributary.Broker.Raft;

/// <summary>The leader's side of Fetch: validate the fetcher's log position, answer, track progress.</summary>
public sealed partial class RaftNode
{
    private FetchResponse HandleFetchRequest(long now, FetchRequest request, RaftOutput output)
    {
        var error = CheckRequest(request.ClusterId, request.Topics.Count == 1 ? request.Topics[0].Topic : null,
            request.Topics.Count == 1 ? request.Topics[0].Partitions.Count : 0);
        var replicaId = request.ReplicaState.ReplicaId >= 0 ? request.ReplicaState.ReplicaId : request.ReplicaId;
        if (error == ErrorCode.None && (replicaId < 0 || replicaId == NodeId))
        {
            error = ErrorCode.InvalidRequest; // only replicas fetch through Raft
        }

        if (error != ErrorCode.None)
        {
            return new FetchResponse { ErrorCode = (short)error };
        }

        var fetch = request.Topics[0].Partitions[0];
        if (fetch.CurrentLeaderEpoch > _epoch)
        {
            ObserveEpoch(fetch.CurrentLeaderEpoch, -1, now, output);
        }

        var answer = NewFetchPartition();
        if (fetch.CurrentLeaderEpoch < _epoch)
        {
            // The fetcher is behind on elections; CurrentLeader tells it whom to follow.
            answer.ErrorCode = (short)ErrorCode.FencedLeaderEpoch;
        }
        else if (Role != RaftRole.Leader)
        {
            answer.ErrorCode = (short)ErrorCode.NotLeaderOrFollower;
        }
        else if (fetch.FetchOffset < 0 || fetch.LastFetchedEpoch > _epoch)
        {
            answer.ErrorCode = (short)ErrorCode.InvalidRequest;
        }
        else
        {
            AnswerValidFetch(now, replicaId, fetch, answer, request.MaxBytes, output);
        }

        return new FetchResponse
        {
            Responses = [new FetchResponse.FetchableTopicResponse { Topic = _config.TopicName, Partitions = [answer] }],
        };
    }

    /// <summary>
    /// The fetcher claims its log matches ours up to FetchOffset, whose preceding record has
    /// LastFetchedEpoch. If our log disagrees, the answer is the end of the largest epoch we share
    /// (DivergingEpoch) so it can truncate; if it is behind our log start, the snapshot to fetch.
    /// Only a verified fetch offset counts as an acknowledgement.
    /// </summary>
    private void AnswerValidFetch(long now, int replicaId, FetchRequest.FetchPartition fetch, FetchResponse.PartitionData answer, int maxBytes, RaftOutput output)
    {
        if (fetch.FetchOffset < _log.StartOffset)
        {
            PointAtSnapshot(answer);
            return;
        }

        if (fetch.FetchOffset > 0)
        {
            var shared = _log.EndOffsetForEpoch(fetch.LastFetchedEpoch);
            if (shared is null)
            {
                PointAtSnapshot(answer);
                return;
            }

            if (shared.Value.Epoch != fetch.LastFetchedEpoch || shared.Value.EndOffset < fetch.FetchOffset)
            {
                answer.DivergingEpoch.Epoch = shared.Value.Epoch;
                answer.DivergingEpoch.EndOffset = shared.Value.EndOffset;
                return;
            }
        }

        var progress = ProgressOf(replicaId);
        progress.EndOffset = fetch.FetchOffset;
        progress.LastFetchTime = now;
        progress.Acknowledged = true;
        MaybeAdvanceHighWatermark(output);

        var limit = Math.Min(_config.MaxFetchBytes, maxBytes > 0 ? maxBytes : int.MaxValue);
        answer.Records = _log.Read(fetch.FetchOffset, limit);
        answer.HighWatermark = _highWatermark;
    }

    private void PointAtSnapshot(FetchResponse.PartitionData answer)
    {
        if (_log.LatestSnapshot is { } snapshot)
        {
            answer.SnapshotId.EndOffset = snapshot.EndOffset;
            answer.SnapshotId.Epoch = snapshot.Epoch;
        }
        else
        {
            answer.ErrorCode = (short)ErrorCode.OffsetOutOfRange;
        }
    }

    private FetchResponse.PartitionData NewFetchPartition() => new()
    {
        PartitionIndex = 0,
        HighWatermark = -1,
        LogStartOffset = _log.StartOffset,
        CurrentLeader = new FetchResponse.LeaderIdAndEpoch { LeaderId = AdvertisedLeaderId, LeaderEpoch = _epoch },
    };

    /// <summary>Voters count toward the high watermark; anyone else fetching is an observer.</summary>
    private ReplicaProgress ProgressOf(int replicaId)
    {
        if (_voterProgress.TryGetValue(replicaId, out var progress))
        {
            return progress;
        }

        if (!_observerProgress.TryGetValue(replicaId, out progress))
        {
            progress = new ReplicaProgress(replicaId);
            _observerProgress[replicaId] = progress;
        }

        return progress;
    }
}
