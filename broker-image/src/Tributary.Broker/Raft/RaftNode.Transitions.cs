namespace Tributary.Broker.Raft;

/// <summary>State transitions. Every change of epoch, vote or leader is persisted before it takes effect.</summary>
public sealed partial class RaftNode
{
    /// <summary>Rebuilds the role from the quorum-state file after a (re)start.</summary>
    private void Restore(QuorumState state, long now)
    {
        _epoch = state.Epoch;
        _votedId = state.VotedId;
        _leaderId = state.LeaderId;
        if (state.LeaderId == NodeId)
        {
            // A restarted leader cannot resume its epoch (its in-memory replica progress is gone),
            // and must not vote in it either: it waits as Resigned for the next election.
            Role = RaftRole.Resigned;
        }
        else if (state.LeaderId >= 0)
        {
            Role = RaftRole.Follower;
        }
        else if (state.VotedId >= 0)
        {
            // Includes a vote for itself as a candidate: the vote stands, the candidacy does not.
            Role = RaftRole.Voted;
        }
        else
        {
            Role = RaftRole.Unattached;
        }

        ClearRoleState();
        var soleVoter = IsVoter && _config.Voters.Count == 1;
        _electionDeadline = Role == RaftRole.Follower ? now + _config.FetchTimeoutMs
            : soleVoter ? now
            : RandomElectionDeadline(now);
    }

    /// <summary>
    /// The universal rule: a message from a higher epoch moves this replica into that epoch
    /// (following its leader when the message names one); a message naming the leader of the
    /// current epoch ends an election or an unattached wait.
    /// </summary>
    private void ObserveEpoch(int epoch, int leaderId, long now, RaftOutput output)
    {
        if (epoch > _epoch)
        {
            if (leaderId >= 0 && leaderId != NodeId)
            {
                BecomeFollower(epoch, leaderId, now, output);
            }
            else
            {
                BecomeUnattached(epoch, now, output);
            }
        }
        else if (epoch == _epoch && leaderId >= 0 && leaderId != NodeId
                 && Role is RaftRole.Unattached or RaftRole.Voted or RaftRole.Candidate)
        {
            BecomeFollower(epoch, leaderId, now, output);
        }
    }

    private void BecomeUnattached(int epoch, long now, RaftOutput output)
    {
        SetState(RaftRole.Unattached, epoch, votedId: -1, leaderId: -1, output);
        _electionDeadline = RandomElectionDeadline(now);
    }

    private void BecomeVoted(int candidateId, long now, RaftOutput output)
    {
        SetState(RaftRole.Voted, _epoch, candidateId, leaderId: -1, output);
        _electionDeadline = RandomElectionDeadline(now);
    }

    private void BecomeFollower(int epoch, int leaderId, long now, RaftOutput output)
    {
        // The vote cast in this epoch (if any) stays on record: it must not be cast again.
        var votedId = epoch == _epoch ? _votedId : -1;
        SetState(RaftRole.Follower, epoch, votedId, leaderId, output);
        _electionDeadline = now + _config.FetchTimeoutMs;
    }

    private void BecomeCandidate(long now, RaftOutput output)
    {
        SetState(RaftRole.Candidate, _epoch + 1, NodeId, leaderId: -1, output);
        _electionDeadline = RandomElectionDeadline(now);
        _grantedVotes.Add(NodeId);
        if (_grantedVotes.Count >= _config.Majority)
        {
            BecomeLeader(now, output);
            return;
        }

        foreach (var voter in OtherVoters())
        {
            SendVoteRequest(voter, now, output);
        }
    }

    private void SetState(RaftRole role, int epoch, int votedId, int leaderId, RaftOutput output)
    {
        if (epoch != _epoch || votedId != _votedId || leaderId != _leaderId)
        {
            // Durable first: an answer given before the write could be forgotten by a crash.
            _store.Save(new QuorumState(epoch, votedId, leaderId));
        }

        _epoch = epoch;
        _votedId = votedId;
        _leaderId = leaderId;
        Role = role;
        ClearRoleState();
        output.StateChanged = true;
    }

    /// <summary>Forgets everything that belonged to the previous role.</summary>
    private void ClearRoleState()
    {
        _grantedVotes.Clear();
        _voteSentAt.Clear();
        _voterProgress.Clear();
        _observerProgress.Clear();
        _fetchInFlight = false;
        _fetchTarget = -1;
        _nextFetchAt = long.MinValue;
        _snapshotDownload = null;
    }
}
