using Tributary.Protocol;
using Tributary.Protocol.Messages;

namespace Tributary.Broker.Raft;

/// <summary>Elections: timeouts, Vote requests and answers.</summary>
public sealed partial class RaftNode
{
    private readonly HashSet<int> _grantedVotes = [];
    private readonly Dictionary<int, long> _voteSentAt = [];

    /// <summary>Unattached, Voted and Resigned replicas wait for a leader; voters stand for election when the wait ends.</summary>
    private void TickWaiting(long now, RaftOutput output)
    {
        if (IsVoter)
        {
            if (now >= _electionDeadline)
            {
                BecomeCandidate(now, output);
            }

            return;
        }

        // An observer has no vote: it asks the voters in turn until one names the leader.
        var target = _config.Voters[_discoveryIndex % _config.Voters.Count];
        if (MaybeSendFetch(target, now, output))
        {
            _discoveryIndex++;
        }
    }

    private void TickCandidate(long now, RaftOutput output)
    {
        if (now >= _electionDeadline)
        {
            // Split vote or lost messages: try again one epoch higher (after a fresh random wait).
            BecomeCandidate(now, output);
            return;
        }

        foreach (var voter in OtherVoters())
        {
            if (_voteSentAt.TryGetValue(voter, out var sentAt) && now - sentAt >= _config.RequestTimeoutMs)
            {
                SendVoteRequest(voter, now, output);
            }
        }
    }

    private void SendVoteRequest(int voter, long now, RaftOutput output)
    {
        _voteSentAt[voter] = now;
        Send(output, voter, new VoteRequest
        {
            ClusterId = _config.ClusterId,
            VoterId = voter,
            Topics =
            [
                new VoteRequest.TopicData
                {
                    TopicName = _config.TopicName,
                    Partitions =
                    [
                        new VoteRequest.PartitionData
                        {
                            CandidateEpoch = _epoch,
                            CandidateId = NodeId,
                            LastOffsetEpoch = _log.LastEpoch,
                            LastOffset = _log.EndOffset,
                        },
                    ],
                },
            ],
        });
    }

    private VoteResponse HandleVoteRequest(long now, VoteRequest request, RaftOutput output)
    {
        var error = CheckRequest(request.ClusterId, request.Topics.Count == 1 ? request.Topics[0].TopicName : null,
            request.Topics.Count == 1 ? request.Topics[0].Partitions.Count : 0);
        if (error != ErrorCode.None)
        {
            return new VoteResponse { ErrorCode = (short)error };
        }

        var candidate = request.Topics[0].Partitions[0];
        if (!IsVoter || !_config.IsVoter(candidate.CandidateId))
        {
            return VoteAnswer(ErrorCode.InconsistentVoterSet, granted: false);
        }

        // A higher epoch ends whatever this replica was doing in its own epoch (even leading).
        if (candidate.CandidateEpoch > _epoch)
        {
            BecomeUnattached(candidate.CandidateEpoch, now, output);
        }

        var granted = false;
        if (candidate.CandidateEpoch == _epoch)
        {
            // One vote per epoch: an unattached voter may grant it to a candidate whose log is at
            // least as up to date as its own; a voter that already voted only repeats that vote.
            granted = Role switch
            {
                RaftRole.Unattached => CandidateLogIsUpToDate(candidate.LastOffsetEpoch, candidate.LastOffset),
                RaftRole.Voted => _votedId == candidate.CandidateId,
                _ => false,
            };

            if (granted && Role == RaftRole.Unattached)
            {
                BecomeVoted(candidate.CandidateId, now, output);
            }
            else if (granted)
            {
                _electionDeadline = RandomElectionDeadline(now);
            }
        }

        return VoteAnswer(ErrorCode.None, granted);
    }

    /// <summary>
    /// Raft's election restriction: compare (last epoch, end offset) lexicographically, so a leader
    /// always holds every committed record (a committed record is on a majority, and any winning
    /// candidate got a vote from at least one replica of that majority).
    /// </summary>
    private bool CandidateLogIsUpToDate(int lastEpoch, long endOffset) =>
        lastEpoch > _log.LastEpoch || (lastEpoch == _log.LastEpoch && endOffset >= _log.EndOffset);

    private VoteResponse VoteAnswer(ErrorCode error, bool granted) => new()
    {
        Topics =
        [
            new VoteResponse.TopicData
            {
                TopicName = _config.TopicName,
                Partitions =
                [
                    new VoteResponse.PartitionData
                    {
                        ErrorCode = (short)error,
                        LeaderId = AdvertisedLeaderId,
                        LeaderEpoch = _epoch,
                        VoteGranted = granted,
                    },
                ],
            },
        ],
    };

    private void HandleVoteResponse(long now, int source, VoteResponse response, RaftOutput output)
    {
        if (response.ErrorCode != 0 || response.Topics.Count != 1 || response.Topics[0].Partitions.Count != 1)
        {
            return; // resent after the request timeout
        }

        var answer = response.Topics[0].Partitions[0];
        if (answer.ErrorCode != 0)
        {
            return;
        }

        ObserveEpoch(answer.LeaderEpoch, answer.LeaderId, now, output);
        if (Role != RaftRole.Candidate || answer.LeaderEpoch != _epoch)
        {
            return;
        }

        _voteSentAt.Remove(source);
        if (answer.VoteGranted && _config.IsVoter(source))
        {
            _grantedVotes.Add(source);
            if (_grantedVotes.Count >= _config.Majority)
            {
                BecomeLeader(now, output);
            }
        }
    }

    /// <summary>The leader id put in answers: a resigned leader no longer claims its epoch.</summary>
    private int AdvertisedLeaderId => Role == RaftRole.Resigned ? -1 : _leaderId;

    /// <summary>Common request checks: same cluster, exactly one partition of the metadata topic.</summary>
    private ErrorCode CheckRequest(string? clusterId, string? topicName, int partitionCount)
    {
        if (_config.ClusterId is not null && clusterId is not null && clusterId != _config.ClusterId)
        {
            return ErrorCode.InconsistentClusterId;
        }

        return topicName == _config.TopicName && partitionCount == 1 ? ErrorCode.None : ErrorCode.InvalidRequest;
    }
}
