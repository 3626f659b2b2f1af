using Tributary.Protocol;
using Tributary.Storage;

namespace Tributary.Broker.Partitions;

/// <summary>
/// The leader's side of replication: follower positions, the high watermark over the maximal
/// ISR, ISR expansion and shrinking through AlterPartition (one change in flight), and the
/// epoch checks a replica fetch needs.
/// </summary>
/// <remarks>
/// KIP-497/841 semantics: while a change is in flight the high watermark and acks=all use the
/// maximal ISR, the committed ISR plus any replica being added; a removal only takes effect once
/// the controller committed it. The committed ISR decides NOT_ENOUGH_REPLICAS before an append.
/// </remarks>
public sealed partial class Partition
{
    /// <summary>After a failed AlterPartition, no new proposal for this long (Kafka retries with a backoff too).</summary>
    private const long IsrRetryBackoffMs = 100;

    private IReadOnlyList<int>? _pendingIsr;
    private long _leaderEpochStartOffset;
    private long _isrRetryAfterMs;

    /// <summary>The log end offset when this leader's term began; until the high watermark reaches it, offsets are not final (KIP-207).</summary>
    public long LeaderEpochStartOffset
    {
        get
        {
            lock (_stateLock)
            {
                return _leaderEpochStartOffset;
            }
        }
    }

    /// <summary>The ISR the high watermark is computed over: committed ISR ∪ a pending proposal.</summary>
    public IReadOnlyList<int> MaximalIsr
    {
        get
        {
            lock (_stateLock)
            {
                return MaximalIsrLocked();
            }
        }
    }

    /// <summary>True while an AlterPartition proposal of this leader awaits the controller.</summary>
    public bool IsrChangeInFlight
    {
        get
        {
            lock (_stateLock)
            {
                return _pendingIsr is not null;
            }
        }
    }

    /// <summary>A follower's log end offset as last fetched (-1 when unknown), for tests and metrics.</summary>
    public long FollowerLogEndOffset(int replicaId)
    {
        lock (_stateLock)
        {
            return _followers.TryGetValue(replicaId, out var state) ? state.LogEndOffset : -1;
        }
    }

    /// <summary>
    /// A replica fetch read from <paramref name="fetchOffset"/> while this leader's log ended at
    /// <paramref name="leaderLogEndOffset"/>: records the follower's position and caught-up time,
    /// advances the high watermark and proposes adding the follower to the ISR once it reached
    /// the high watermark in this leader's term. False when the replica is not assigned here.
    /// </summary>
    public bool UpdateFollowerFetchState(int replicaId, long fetchOffset, long leaderLogEndOffset, long brokerEpoch)
    {
        IsrChangeProposal? proposal = null;
        var baseIsr = 0;
        lock (_stateLock)
        {
            if (!IsLeader || replicaId == _nodeId)
            {
                return false;
            }

            if (!_leadership.Replicas.Contains(replicaId) && !_leadership.Isr.Contains(replicaId))
            {
                return false;
            }

            var state = FollowerLocked(replicaId);
            state.RecordFetch(fetchOffset, leaderLogEndOffset, NowMs);
            state.BrokerEpoch = brokerEpoch;
            if (CanExpandLocked(replicaId, state))
            {
                baseIsr = _leadership.Isr.Count;
                proposal = ProposeLocked([.. _leadership.Isr, replicaId]);
            }
        }

        MaybeIncrementHighWatermark(notifyAlways: false);
        if (proposal is not null)
        {
            Send(proposal, baseIsr);
        }

        return true;
    }

    /// <summary>
    /// Periodic check (every replica.lag.time.max.ms / 2): proposes removing ISR members that
    /// have not caught up for replica.lag.time.max.ms. True when a shrink was proposed.
    /// </summary>
    public bool MaybeShrinkIsr()
    {
        IsrChangeProposal? proposal;
        var baseIsr = 0;
        lock (_stateLock)
        {
            var now = NowMs;
            if (!IsLeader || _replication.IsrSender is null || _pendingIsr is not null || now < _isrRetryAfterMs)
            {
                return false;
            }

            var leo = Log.LogEndOffset;
            List<int>? keep = null;
            foreach (var replica in _leadership.Isr)
            {
                var state = replica == _nodeId ? null : FollowerLocked(replica);
                var caughtUp = state is null || state.LogEndOffset == leo || now - state.LastCaughtUpTimeMs <= _replication.ReplicaLagTimeMaxMs;
                if (!caughtUp)
                {
                    keep ??= [.. _leadership.Isr];
                    keep.Remove(replica);
                }
            }

            if (keep is null)
            {
                return false;
            }

            baseIsr = _leadership.Isr.Count;
            proposal = ProposeLocked(keep);
        }

        Send(proposal, baseIsr);
        return true;
    }

    /// <summary>
    /// Fetch v12+ divergence check for a follower that last fetched <paramref name="lastFetchedEpoch"/>
    /// and now fetches from <paramref name="fetchOffset"/>: the epoch and end offset to truncate to,
    /// or null when its log is a prefix of ours.
    /// </summary>
    public DivergingEpoch? FindDivergence(int lastFetchedEpoch, long fetchOffset)
    {
        if (lastFetchedEpoch < 0)
        {
            return null;
        }

        var end = Log.LeaderEpochs.EndOffsetFor(lastFetchedEpoch, Log.LogEndOffset);
        return end.Epoch < lastFetchedEpoch || end.StartOffset < fetchOffset ? new DivergingEpoch(end.Epoch, end.StartOffset) : null;
    }

    /// <summary>OffsetForLeaderEpoch: the largest epoch &lt;= <paramref name="epoch"/> and its end offset here ((-1, -1) when unknown).</summary>
    public EpochEntry EndOffsetForEpoch(int epoch) => Log.LeaderEpochs.EndOffsetFor(epoch, Log.LogEndOffset);

    /// <summary>Recomputes the high watermark over the maximal ISR and wakes waiters; <paramref name="notifyAlways"/> wakes fetches even when it did not move.</summary>
    private void MaybeIncrementHighWatermark(bool notifyAlways)
    {
        List<TaskCompletionSource<ErrorCode>>? committed = null;
        IPartitionWatcher[]? watchers = null;
        lock (_stateLock)
        {
            if (!IsLeader)
            {
                return;
            }

            var hw = Log.LogEndOffset;
            var moved = false;
            foreach (var replica in _leadership.Isr)
            {
                hw = Math.Min(hw, EndOffsetForHighWatermarkLocked(replica));
            }

            if (_pendingIsr is { } pending)
            {
                foreach (var replica in pending)
                {
                    hw = Math.Min(hw, EndOffsetForHighWatermarkLocked(replica));
                }
            }

            if (hw > HighWatermark)
            {
                moved = true;
                Volatile.Write(ref _highWatermark, hw);
                while (_uncommittedBytes.TryPeek(out var entry) && entry.NextOffset <= hw)
                {
                    Volatile.Write(ref _committedBytes, entry.CumulativeBytes);
                    _uncommittedBytes.Dequeue();
                }

                for (var i = _commitWaiters.Count - 1; i >= 0; i--)
                {
                    if (_commitWaiters[i].Offset <= hw)
                    {
                        (committed ??= []).Add(_commitWaiters[i].Done);
                        _commitWaiters.RemoveAt(i);
                    }
                }
            }

            if ((moved || notifyAlways) && _watchers.Count > 0)
            {
                watchers = [.. _watchers];
            }
        }

        committed?.ForEach(c => c.TrySetResult(ErrorCode.None));
        Notify(watchers);
    }

    /// <summary>The leader its log end; a follower that has not fetched in this term holds the HW where it is.</summary>
    private long EndOffsetForHighWatermarkLocked(int replica)
    {
        if (replica == _nodeId)
        {
            return Log.LogEndOffset;
        }

        return _followers.TryGetValue(replica, out var state) && state.LogEndOffset >= 0 ? state.LogEndOffset : HighWatermark;
    }

    private IReadOnlyList<int> MaximalIsrLocked()
    {
        if (_pendingIsr is not { } pending)
        {
            return _leadership.Isr;
        }

        return [.. _leadership.Isr.Union(pending)];
    }

    private void StartLeaderTermLocked(PartitionLeadership leadership)
    {
        var now = NowMs;
        _followers.Clear();
        foreach (var replica in leadership.Replicas)
        {
            if (replica != _nodeId)
            {
                var state = new FollowerState();
                state.Reset(now, leadership.Isr.Contains(replica));
                _followers[replica] = state;
            }
        }

        _leaderEpochStartOffset = Log.LogEndOffset;
        if (leadership.LeaderEpoch >= 0 && !Log.IsClosed)
        {
            Log.LeaderEpochs.Assign(leadership.LeaderEpoch, _leaderEpochStartOffset);
        }
    }

    private FollowerState FollowerLocked(int replica)
    {
        if (!_followers.TryGetValue(replica, out var state))
        {
            // Assigned after this term began (reassignment): unknown position.
            state = new FollowerState();
            state.Reset(NowMs, _leadership.Isr.Contains(replica));
            _followers[replica] = state;
        }

        return state;
    }

    /// <summary>Kafka's canAddReplicaToIsr: reached the HW, in this term, eligible, nothing in flight.</summary>
    private bool CanExpandLocked(int replica, FollowerState state) =>
        _replication.IsrSender is not null &&
        _pendingIsr is null &&
        NowMs >= _isrRetryAfterMs &&
        !_leadership.Isr.Contains(replica) &&
        _leadership.Replicas.Contains(replica) &&
        state.LogEndOffset >= HighWatermark &&
        state.LogEndOffset >= _leaderEpochStartOffset &&
        (_replication.IsEligibleForIsr?.Invoke(replica) ?? true);

    private IsrChangeProposal ProposeLocked(IReadOnlyList<int> newIsr)
    {
        _pendingIsr = newIsr;
        return new IsrChangeProposal(TopicPartition.Topic, TopicId, TopicPartition.Partition, _leadership.LeaderEpoch, _leadership.PartitionEpoch, newIsr);
    }

    private void Send(IsrChangeProposal proposal, int baseIsrCount)
    {
        var sender = _replication.IsrSender!;
        _ = Task.Run(async () =>
        {
            IsrChangeResult result;
            try
            {
                result = await sender.SendAsync(proposal, CancellationToken.None).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // Any transport failure only means "retry later"; the next check re-proposes.
            catch (Exception e)
#pragma warning restore CA1031
            {
                _replication.OnIsrChangeFailed?.Invoke(proposal, e.Message);
                result = IsrChangeResult.Failed(ErrorCode.RequestTimedOut);
            }

            CompleteIsrChange(proposal, result, baseIsrCount);
        });
    }

    /// <summary>Applies the controller's answer: the committed ISR and partition epoch, or clears the proposal so a later check retries.</summary>
    private void CompleteIsrChange(IsrChangeProposal proposal, IsrChangeResult result, int baseIsrCount)
    {
        if (result.Error == ErrorCode.None)
        {
            (result.Isr.Count < baseIsrCount ? _replication.OnIsrShrink : _replication.OnIsrExpand)?.Invoke();
        }
        else if (result.Error != ErrorCode.RequestTimedOut)
        {
            _replication.OnIsrChangeFailed?.Invoke(proposal, result.Error.ToString());
        }

        lock (_stateLock)
        {
            if (!ReferenceEquals(_pendingIsr, proposal.NewIsr))
            {
                return; // superseded by a newer image
            }

            _pendingIsr = null;
            if (result.Error != ErrorCode.None)
            {
                _isrRetryAfterMs = NowMs + IsrRetryBackoffMs;
            }

            if (result.Error == ErrorCode.None && IsLeader && result.LeaderEpoch == _leadership.LeaderEpoch && result.PartitionEpoch > _leadership.PartitionEpoch)
            {
                _leadership = _leadership with { Isr = [.. result.Isr], PartitionEpoch = result.PartitionEpoch };
            }
        }

        MaybeIncrementHighWatermark(notifyAlways: true);
    }

    private long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();
}
