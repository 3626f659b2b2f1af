using Tributary.Protocol.Metadata;

namespace Tributary.Broker.Metadata.Controller;

/// <summary>
/// Turns a target state of one partition (ISR, replicas, reassignment lists, recovery state) into the
/// PartitionChangeRecord that gets there, electing a leader on the way, as Kafka's KRaft controller does.
/// Pure: the image supplies the partition, the caller supplies which brokers may lead.
/// <list type="bullet">
/// <item>A reassignment completes once every target replica is in the target ISR: the removed replicas
/// leave the replicas and the ISR, the adding/removing lists empty.</item>
/// <item>A valid leader is in the target ISR and acceptable (unfenced, not shutting down). The current
/// leader is kept while valid; otherwise the first valid replica in replica order leads; with none, the
/// partition goes offline (leader -1). An unclean election takes any acceptable replica, resets the ISR to
/// it and marks the leader as recovering.</item>
/// <item>An ISR is never written empty: when the last member leaves, the ISR keeps it so that broker
/// leads again once it is back.</item>
/// <item>Removing replicas bumps the leader epoch so removed replicas stop fetching.</item>
/// </list>
/// <see cref="Build"/> returns null when nothing would change.
/// </summary>
public sealed class PartitionChangeBuilder
{
    private const sbyte Recovered = 0;
    private const sbyte Recovering = 1;

    private readonly Guid _topicId;
    private readonly PartitionImage _partition;
    private readonly Func<int, bool> _isAcceptableLeader;
    private List<int> _targetIsr;
    private List<int> _targetReplicas;
    private List<int> _targetAdding;
    private List<int> _targetRemoving;
    private sbyte _targetRecoveryState;

    public PartitionChangeBuilder(Guid topicId, PartitionImage partition, Func<int, bool> isAcceptableLeader)
    {
        ArgumentNullException.ThrowIfNull(partition);
        ArgumentNullException.ThrowIfNull(isAcceptableLeader);
        _topicId = topicId;
        _partition = partition;
        _isAcceptableLeader = isAcceptableLeader;
        _targetIsr = [.. partition.Isr];
        _targetReplicas = [.. partition.Replicas];
        _targetAdding = [.. partition.AddingReplicas];
        _targetRemoving = [.. partition.RemovingReplicas];
        _targetRecoveryState = partition.LeaderRecoveryState;
    }

    public PartitionElection Election { get; set; } = PartitionElection.Online;

    public PartitionChangeBuilder WithTargetIsr(IEnumerable<int> isr)
    {
        _targetIsr = [.. isr];
        return this;
    }

    public PartitionChangeBuilder WithTargetReplicas(IEnumerable<int> replicas)
    {
        _targetReplicas = [.. replicas];
        return this;
    }

    public PartitionChangeBuilder WithTargetAdding(IEnumerable<int> adding)
    {
        _targetAdding = [.. adding];
        return this;
    }

    public PartitionChangeBuilder WithTargetRemoving(IEnumerable<int> removing)
    {
        _targetRemoving = [.. removing];
        return this;
    }

    public PartitionChangeBuilder WithTargetLeaderRecoveryState(sbyte state)
    {
        _targetRecoveryState = state;
        return this;
    }

    public PartitionChangeRecord? Build()
    {
        CompleteReassignmentIfPossible();
        var record = new PartitionChangeRecord { TopicId = _topicId, PartitionId = _partition.Partition };
        TryElection(record);

        // Dropping replicas must fence them out: a new leader epoch does (a leader change already did).
        if (record.Leader == -2 && !_partition.Replicas.All(_targetReplicas.Contains))
        {
            record.Leader = _partition.Leader;
        }

        if (record.Isr is null && _targetIsr.Count > 0 && !_targetIsr.SequenceEqual(_partition.Isr))
        {
            record.Isr = _targetIsr;
        }

        if (!_targetReplicas.SequenceEqual(_partition.Replicas))
        {
            record.Replicas = _targetReplicas;
        }

        if (!_targetRemoving.SequenceEqual(_partition.RemovingReplicas))
        {
            record.RemovingReplicas = _targetRemoving;
        }

        if (!_targetAdding.SequenceEqual(_partition.AddingReplicas))
        {
            record.AddingReplicas = _targetAdding;
        }

        if (record.LeaderRecoveryState == -1 && _targetRecoveryState != _partition.LeaderRecoveryState)
        {
            record.LeaderRecoveryState = _targetRecoveryState;
        }

        var noOp = record.Leader == -2 && record.Isr is null && record.Replicas is null && record.RemovingReplicas is null
            && record.AddingReplicas is null && record.LeaderRecoveryState == -1;
        return noOp ? null : record;
    }

    /// <summary>The leader <see cref="Build"/> would choose with the targets as they are now (no record needed).</summary>
    public int PlannedLeader()
    {
        CompleteReassignmentIfPossible();
        return ElectLeader().Leader;
    }

    private void CompleteReassignmentIfPossible()
    {
        if (_targetAdding.Count == 0 && _targetRemoving.Count == 0)
        {
            return;
        }

        var isr = _targetIsr.Where(r => !_targetRemoving.Contains(r)).ToList();
        var replicas = _targetReplicas.Where(r => !_targetRemoving.Contains(r)).ToList();
        if (isr.Count == 0 || !replicas.All(isr.Contains))
        {
            return;
        }

        _targetIsr = isr;
        _targetReplicas = replicas;
        _targetAdding = [];
        _targetRemoving = [];
    }

    private void TryElection(PartitionChangeRecord record)
    {
        var (leader, unclean) = ElectLeader();
        if (leader == _partition.Leader)
        {
            return;
        }

        record.Leader = leader;
        if (unclean)
        {
            // Whatever the old ISR had, only the new leader's log is known to be complete now.
            record.Isr = [leader];
            if (_partition.LeaderRecoveryState != Recovering)
            {
                record.LeaderRecoveryState = Recovering;
            }
        }
    }

    private (int Leader, bool Unclean) ElectLeader()
    {
        if (Election == PartitionElection.Preferred && _targetReplicas.Count > 0 && IsValidLeader(_targetReplicas[0]))
        {
            return (_targetReplicas[0], false);
        }

        if (IsValidLeader(_partition.Leader))
        {
            return (_partition.Leader, false);
        }

        foreach (var replica in _targetReplicas)
        {
            if (IsValidLeader(replica))
            {
                return (replica, false);
            }
        }

        if (Election == PartitionElection.Unclean)
        {
            foreach (var replica in _targetReplicas)
            {
                if (_isAcceptableLeader(replica))
                {
                    return (replica, true);
                }
            }
        }

        return (PartitionImage.NoLeader, false);
    }

    private bool IsValidLeader(int broker) =>
        broker != PartitionImage.NoLeader && _targetIsr.Contains(broker) && _isAcceptableLeader(broker);

    /// <summary>Kafka's leader recovery states, for callers validating AlterPartition.</summary>
    internal static bool IsKnownRecoveryState(sbyte state) => state is Recovered or Recovering;
}
