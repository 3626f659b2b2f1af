using Tributary.Protocol;
using Tributary.Protocol.Messages;
using Tributary.Protocol.Primitives;
using Tributary.Protocol.Records;

namespace Tributary.Broker.Raft;

/// <summary>The follower's (and observer's) side of Fetch: one request in flight, applied in order.</summary>
public sealed partial class RaftNode
{
    private bool _fetchInFlight;
    private int _fetchTarget = -1;
    private long _fetchSentAt;
    private long _fetchSentEnd;
    private int _fetchSentLastEpoch;
    private long _nextFetchAt = long.MinValue;
    private int _discoveryIndex;

    private void TickFollower(long now, RaftOutput output)
    {
        if (now >= _electionDeadline)
        {
            // The leader went quiet for a whole fetch timeout: voters stand for election, observers
            // forget the leader and look for the new one.
            if (IsVoter)
            {
                BecomeCandidate(now, output);
            }
            else
            {
                BecomeUnattached(_epoch, now, output);
            }

            return;
        }

        MaybeSendFetch(_leaderId, now, output);
    }

    /// <summary>Sends the next Fetch (or FetchSnapshot) unless one is in flight or a backoff runs.</summary>
    private bool MaybeSendFetch(int target, long now, RaftOutput output)
    {
        if (_fetchInFlight ? now - _fetchSentAt < _config.RequestTimeoutMs : now < _nextFetchAt)
        {
            return false;
        }

        _fetchInFlight = true;
        _fetchSentAt = now;
        _fetchSentEnd = _log.EndOffset;
        _fetchSentLastEpoch = _log.LastEpoch;
        _fetchTarget = target;
        Send(output, target, _snapshotDownload is { } download ? FetchSnapshotRequestFor(download) : FetchRequestFor(target));
        return true;
    }

    private FetchRequest FetchRequestFor(int target) => new()
    {
        ClusterId = _config.ClusterId,
        ReplicaId = NodeId,
        ReplicaState = new FetchRequest.ReplicaStateData { ReplicaId = NodeId },
        MaxBytes = _config.MaxFetchBytes,
        Topics =
        [
            new FetchRequest.FetchTopic
            {
                Topic = _config.TopicName,
                Partitions =
                [
                    new FetchRequest.FetchPartition
                    {
                        // Discovery fetches to a non-leader carry our epoch too: the answer names the leader.
                        CurrentLeaderEpoch = _epoch,
                        FetchOffset = _log.EndOffset,
                        LastFetchedEpoch = _log.LastEpoch,
                        LogStartOffset = _log.StartOffset,
                        PartitionMaxBytes = _config.MaxFetchBytes,
                    },
                ],
            },
        ],
    };

    private void HandleFetchResponse(long now, int source, FetchResponse response, RaftOutput output)
    {
        var expected = IsAnswerToCurrentFetch(source);
        if (expected)
        {
            _fetchInFlight = false;
            _nextFetchAt = now + _config.FetchBackoffMs;
        }

        if (response.ErrorCode != 0 || response.Responses.Count != 1 || response.Responses[0].Partitions.Count != 1)
        {
            return;
        }

        var answer = response.Responses[0].Partitions[0];
        ObserveEpoch(answer.CurrentLeader.LeaderEpoch, answer.CurrentLeader.LeaderId, now, output);
        if (!expected || answer.ErrorCode != 0 || Role != RaftRole.Follower || source != _leaderId
            || answer.CurrentLeader.LeaderEpoch != _epoch)
        {
            return;
        }

        // A good answer from the leader proves it is alive: push the election back.
        _electionDeadline = now + _config.FetchTimeoutMs;
        if (answer.DivergingEpoch.Epoch >= 0 && answer.DivergingEpoch.EndOffset >= 0)
        {
            TruncateToDivergence(new RaftEpochEnd(answer.DivergingEpoch.Epoch, answer.DivergingEpoch.EndOffset), output);
            _nextFetchAt = now;
        }
        else if (answer.SnapshotId.Epoch >= 0 && answer.SnapshotId.EndOffset >= 0)
        {
            _snapshotDownload = new SnapshotDownload(new RaftSnapshotId(answer.SnapshotId.EndOffset, answer.SnapshotId.Epoch));
            _nextFetchAt = now;
        }
        else
        {
            if (AppendFetched(answer.Records))
            {
                _nextFetchAt = now; // more may be waiting: fetch again right away
            }

            FollowHighWatermark(answer.HighWatermark, output);
        }

        MaybeSendFetch(_leaderId, now, output);
    }

    /// <summary>
    /// True when a response from <paramref name="source"/> answers the fetch in flight. A resent fetch
    /// can leave an older answer on its way; it still applies if our log has not moved since, because
    /// two logs ending in the same (offset, epoch) are identical (Raft's log matching property).
    /// </summary>
    private bool IsAnswerToCurrentFetch(int source) =>
        _fetchInFlight && source == _fetchTarget && _log.EndOffset == _fetchSentEnd && _log.LastEpoch == _fetchSentLastEpoch;

    /// <summary>
    /// Truncates to the end of the largest epoch both logs share: the smaller of the leader's and our
    /// own end offset for that epoch. Committed records are never below that point; if they were,
    /// the quorum's safety is broken and continuing would corrupt the state machine.
    /// </summary>
    private void TruncateToDivergence(RaftEpochEnd leaderEnd, RaftOutput output)
    {
        var local = _log.EndOffsetForEpoch(leaderEnd.Epoch);
        var target = Math.Min(Math.Min(leaderEnd.EndOffset, local?.EndOffset ?? leaderEnd.EndOffset), _log.EndOffset);
        if (target < _highWatermark || target < _log.StartOffset)
        {
            throw new InvalidOperationException(
                $"replica {NodeId} was asked to truncate to {target}, below its high watermark {_highWatermark} or log start {_log.StartOffset}");
        }

        if (target < _log.EndOffset)
        {
            _log.TruncateTo(target);
            output.TruncatedTo = target;
        }
    }

    /// <summary>
    /// Appends the batches that continue our log exactly; stops at the first that does not (a gap,
    /// a bad CRC, an impossible epoch), so a damaged response only costs a refetch.
    /// </summary>
    private bool AppendFetched(ReadOnlyMemory<byte>? records)
    {
        if (records is not { Length: > 0 } bytes)
        {
            return false;
        }

        var appended = false;
        try
        {
            var batches = new RecordBatchEnumerator(bytes.Span);
            while (batches.MoveNext())
            {
                var batch = batches.CurrentBatch;
                if (batch.LastOffset < _log.EndOffset)
                {
                    continue;
                }

                if (batch.BaseOffset != _log.EndOffset || !batch.IsCrcValid
                    || batch.PartitionLeaderEpoch > _epoch || batch.PartitionLeaderEpoch < _log.LastEpoch)
                {
                    break;
                }

                _log.Append(batch.Bytes);
                appended = true;
            }
        }
        catch (ProtocolException)
        {
            // Corrupt bytes from the wire: keep what was valid, refetch the rest.
        }

        return appended;
    }

    /// <summary>A follower's high watermark is the leader's, capped at what it holds itself.</summary>
    private void FollowHighWatermark(long leaderHighWatermark, RaftOutput output)
    {
        var candidate = Math.Min(leaderHighWatermark, _log.EndOffset);
        if (candidate > _highWatermark)
        {
            _highWatermark = candidate;
            output.HighWatermark = candidate;
        }
    }
}
