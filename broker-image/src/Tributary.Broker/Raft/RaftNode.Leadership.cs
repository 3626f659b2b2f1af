using Tributary.Protocol;
using Tributary.Protocol.Messages;
using Tributary.Protocol.Primitives;
using Tributary.Protocol.Records;

namespace Tributary.Broker.Raft;

/// <summary>Leading: taking office, appending, the high watermark, the quorum check and resigning.</summary>
public sealed partial class RaftNode
{
    private readonly Dictionary<int, ReplicaProgress> _voterProgress = [];
    private readonly Dictionary<int, ReplicaProgress> _observerProgress = [];
    private long _epochStartOffset;
    private long _leaderSince;

    /// <summary>
    /// On the leader, the offset of this epoch's LeaderChange record: once the high watermark passes
    /// it, every record of earlier epochs is committed and the leader may act on the full log.
    /// </summary>
    public long EpochStartOffset => _epochStartOffset;

    /// <summary>
    /// Appends <paramref name="values"/> as one batch in the current epoch. Throws
    /// <see cref="RaftNotLeaderException"/> unless this replica leads. The records are committed once
    /// <see cref="HighWatermark"/> passes the returned last offset.
    /// </summary>
    public RaftAppendResult Append(long now, IReadOnlyList<ReadOnlyMemory<byte>> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (Role != RaftRole.Leader)
        {
            throw new RaftNotLeaderException(AdvertisedLeaderId, _epoch);
        }

        if (values.Count == 0)
        {
            throw new ArgumentException("nothing to append", nameof(values));
        }

        var output = new RaftOutput();
        var baseOffset = _log.EndOffset;
        using (var builder = new RecordBatchBuilder { BaseOffset = baseOffset, PartitionLeaderEpoch = _epoch })
        {
            foreach (var value in values)
            {
                builder.AppendValue(now, value.Span);
            }

            _log.Append(builder.ToArray());
        }

        MaybeAdvanceHighWatermark(output);
        return new RaftAppendResult(baseOffset, _log.EndOffset - 1, _epoch, output);
    }

    /// <summary>
    /// Gives up leadership gracefully (e.g. before shutdown): the replica becomes Resigned and tells the
    /// other voters with EndQuorumEpoch, most caught-up first, so the best successor runs at once.
    /// </summary>
    public RaftOutput Resign(long now)
    {
        if (Role != RaftRole.Leader)
        {
            throw new RaftNotLeaderException(AdvertisedLeaderId, _epoch);
        }

        var output = new RaftOutput();
        BecomeResigned(now, output);
        return output;
    }

    private void BecomeLeader(long now, RaftOutput output)
    {
        var granting = _grantedVotes.ToList();
        SetState(RaftRole.Leader, _epoch, NodeId, NodeId, output);
        _leaderSince = now;
        foreach (var voter in OtherVoters())
        {
            _voterProgress[voter] = new ReplicaProgress(voter);
        }

        // KRaft starts every epoch with a LeaderChange control record. Committing it commits every
        // earlier record too: a leader may only count replicas for records of its own epoch, since
        // a record of an older epoch on a majority can still be overwritten (Raft §5.4.2).
        _epochStartOffset = _log.EndOffset;
        _log.Append(LeaderChangeBatch(granting, now));
        foreach (var voter in OtherVoters())
        {
            SendBeginQuorumEpoch(_voterProgress[voter], now, output);
        }

        MaybeAdvanceHighWatermark(output);
    }

    private byte[] LeaderChangeBatch(List<int> granting, long now)
    {
        var message = new LeaderChangeMessage { LeaderId = NodeId };
        message.Voters.AddRange(_config.Voters.Select(v => new LeaderChangeMessage.Voter { VoterId = v }));
        message.GrantingVoters.AddRange(granting.Select(v => new LeaderChangeMessage.Voter { VoterId = v }));

        // A control record's value is an int16 version followed by the message.
        const short version = 0;
        var value = new byte[2 + message.Size(version)];
        var writer = new KafkaWriter(value);
        writer.WriteInt16(version);
        message.Write(ref writer, version);

        using var builder = new RecordBatchBuilder { BaseOffset = _log.EndOffset, PartitionLeaderEpoch = _epoch, IsControl = true };
        builder.AppendSpans(now, ControlRecords.Key(ControlRecordType.LeaderChange), value);
        return builder.ToArray();
    }

    private void TickLeader(long now, RaftOutput output)
    {
        // Check quorum: a leader that a majority stopped fetching from is probably partitioned
        // away; resigning lets the caller stop serving stale metadata as if it were current.
        if (now - _leaderSince >= _config.CheckQuorumTimeoutMs)
        {
            var inContact = 1;
            foreach (var progress in _voterProgress.Values)
            {
                if (progress.LastFetchTime >= 0 && now - progress.LastFetchTime < _config.CheckQuorumTimeoutMs)
                {
                    inContact++;
                }
            }

            if (inContact < _config.Majority)
            {
                BecomeResigned(now, output);
                return;
            }
        }

        foreach (var progress in _voterProgress.Values)
        {
            if (!progress.Acknowledged && now - progress.BeginEpochSentAt >= _config.RequestTimeoutMs)
            {
                SendBeginQuorumEpoch(progress, now, output);
            }
        }
    }

    private void SendBeginQuorumEpoch(ReplicaProgress progress, long now, RaftOutput output)
    {
        progress.BeginEpochSentAt = now;
        Send(output, progress.NodeId, new BeginQuorumEpochRequest
        {
            ClusterId = _config.ClusterId,
            VoterId = progress.NodeId,
            Topics =
            [
                new BeginQuorumEpochRequest.TopicData
                {
                    TopicName = _config.TopicName,
                    Partitions = [new BeginQuorumEpochRequest.PartitionData { LeaderId = NodeId, LeaderEpoch = _epoch }],
                },
            ],
        });
    }

    private void BecomeResigned(long now, RaftOutput output)
    {
        // Most caught-up voters first: they can win the election (their logs are longest).
        var successors = _voterProgress.Values
            .OrderByDescending(p => p.EndOffset)
            .ThenBy(p => p.NodeId)
            .Select(p => p.NodeId)
            .ToList();
        SetState(RaftRole.Resigned, _epoch, _votedId, NodeId, output);
        _electionDeadline = RandomElectionDeadline(now);
        foreach (var voter in OtherVoters())
        {
            Send(output, voter, new EndQuorumEpochRequest
            {
                ClusterId = _config.ClusterId,
                Topics =
                [
                    new EndQuorumEpochRequest.TopicData
                    {
                        TopicName = _config.TopicName,
                        Partitions =
                        [
                            new EndQuorumEpochRequest.PartitionData
                            {
                                LeaderId = NodeId,
                                LeaderEpoch = _epoch,
                                PreferredSuccessors = successors,
                            },
                        ],
                    },
                ],
            });
        }
    }

    /// <summary>
    /// The high watermark is the largest offset that a majority of voters (the leader counts with its
    /// log end) has reached, provided that majority includes this epoch's LeaderChange record.
    /// </summary>
    private void MaybeAdvanceHighWatermark(RaftOutput output)
    {
        if (Role != RaftRole.Leader)
        {
            return;
        }

        Span<long> ends = stackalloc long[_config.Voters.Count];
        var i = 0;
        foreach (var voter in _config.Voters)
        {
            ends[i++] = voter == NodeId ? _log.EndOffset : _voterProgress[voter].EndOffset;
        }

        ends.Sort();
        var majorityEnd = ends[ends.Length - _config.Majority];
        if (majorityEnd > _epochStartOffset && majorityEnd > _highWatermark)
        {
            _highWatermark = majorityEnd;
            output.HighWatermark = majorityEnd;
        }
    }

    private BeginQuorumEpochResponse HandleBeginQuorumEpochRequest(long now, BeginQuorumEpochRequest request, RaftOutput output)
    {
        var error = CheckRequest(request.ClusterId, request.Topics.Count == 1 ? request.Topics[0].TopicName : null,
            request.Topics.Count == 1 ? request.Topics[0].Partitions.Count : 0);
        if (error != ErrorCode.None)
        {
            return new BeginQuorumEpochResponse { ErrorCode = (short)error };
        }

        var begin = request.Topics[0].Partitions[0];
        if (begin.LeaderEpoch < _epoch)
        {
            error = ErrorCode.FencedLeaderEpoch;
        }
        else if (begin.LeaderEpoch == _epoch && Role is RaftRole.Leader or RaftRole.Resigned && begin.LeaderId != NodeId)
        {
            // Two leaders in one epoch would mean broken vote persistence; refuse loudly.
            error = ErrorCode.InvalidRequest;
        }
        else if (!_config.IsVoter(begin.LeaderId) || begin.LeaderId == NodeId)
        {
            error = ErrorCode.InconsistentVoterSet;
        }
        else
        {
            ObserveEpoch(begin.LeaderEpoch, begin.LeaderId, now, output);
        }

        return new BeginQuorumEpochResponse
        {
            Topics =
            [
                new BeginQuorumEpochResponse.TopicData
                {
                    TopicName = _config.TopicName,
                    Partitions =
                    [
                        new BeginQuorumEpochResponse.PartitionData { ErrorCode = (short)error, LeaderId = AdvertisedLeaderId, LeaderEpoch = _epoch },
                    ],
                },
            ],
        };
    }

    private void HandleBeginQuorumEpochResponse(long now, int source, BeginQuorumEpochResponse response, RaftOutput output)
    {
        if (response.ErrorCode != 0 || response.Topics.Count != 1 || response.Topics[0].Partitions.Count != 1)
        {
            return;
        }

        var answer = response.Topics[0].Partitions[0];
        ObserveEpoch(answer.LeaderEpoch, answer.LeaderId, now, output);
        if (Role == RaftRole.Leader && answer.ErrorCode == 0 && answer.LeaderEpoch == _epoch
            && _voterProgress.TryGetValue(source, out var progress))
        {
            progress.Acknowledged = true;
        }
    }

    private EndQuorumEpochResponse HandleEndQuorumEpochRequest(long now, EndQuorumEpochRequest request, RaftOutput output)
    {
        var error = CheckRequest(request.ClusterId, request.Topics.Count == 1 ? request.Topics[0].TopicName : null,
            request.Topics.Count == 1 ? request.Topics[0].Partitions.Count : 0);
        if (error != ErrorCode.None)
        {
            return new EndQuorumEpochResponse { ErrorCode = (short)error };
        }

        var end = request.Topics[0].Partitions[0];
        if (end.LeaderEpoch < _epoch)
        {
            error = ErrorCode.FencedLeaderEpoch;
        }
        else
        {
            if (end.LeaderEpoch > _epoch)
            {
                // The sender led a newer epoch than we knew of, and just quit it: no leader now.
                BecomeUnattached(end.LeaderEpoch, now, output);
            }

            if (IsVoter && (Role is RaftRole.Unattached or RaftRole.Voted || (Role == RaftRole.Follower && _leaderId == end.LeaderId)))
            {
                // Preferred successors run soon, in the order given; the others wait a normal timeout,
                // so the most caught-up voter usually wins without a split vote.
                var position = end.PreferredSuccessors.IndexOf(NodeId);
                _electionDeadline = position >= 0 ? now + (long)position * _config.ElectionBackoffMs : RandomElectionDeadline(now);
            }
        }

        return new EndQuorumEpochResponse
        {
            Topics =
            [
                new EndQuorumEpochResponse.TopicData
                {
                    TopicName = _config.TopicName,
                    Partitions =
                    [
                        new EndQuorumEpochResponse.PartitionData { ErrorCode = (short)error, LeaderId = AdvertisedLeaderId, LeaderEpoch = _epoch },
                    ],
                },
            ],
        };
    }

    private void HandleEndQuorumEpochResponse(long now, EndQuorumEpochResponse response, RaftOutput output)
    {
        if (response.ErrorCode == 0 && response.Topics.Count == 1 && response.Topics[0].Partitions.Count == 1)
        {
            var answer = response.Topics[0].Partitions[0];
            ObserveEpoch(answer.LeaderEpoch, answer.LeaderId, now, output);
        }
    }
}
