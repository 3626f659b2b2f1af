using System.Globalization;
using Tributary.Client.Admin;
using Tributary.Client.Cluster;
using Tributary.Protocol;

namespace Tributary.Operator.Rolling;

/// <summary>
/// Whether restarting one node keeps the cluster available, from what the Kafka admin API reports
/// (pure: no I/O, the caller passes the clock). Two independent rules, both must hold:
/// <list type="number">
/// <item><b>Partitions.</b> A partition blocks the restart of node N when N is in its ISR, its
/// replication factor is greater than its topic's min.insync.replicas, and the ISR without N would be
/// smaller than min.insync.replicas. So a partition at exactly min ISR blocks each of its in-sync
/// replicas, and a partition already below min ISR blocks the replicas still in its ISR, but not a
/// lagging replica outside it (restarting that one changes nothing for producers and may be what
/// brings it back). A partition whose replication factor is at most min.insync.replicas (e.g. RF 1)
/// loses availability whenever any replica restarts and no amount of waiting changes that; like
/// Strimzi's roller it does not block (it would stall every roll for ever), and the decision names
/// it as an unavoidable outage.</item>
/// <item><b>Metadata quorum.</b> When N is a voter, the voters other than N that are caught up
/// must still form a majority of all voters. The leader counts as caught up; another voter does
/// when its log end is known, trails the high watermark by at most
/// <see cref="RollSafetyOptions.MaxLagRecords"/>, and it was last caught up at most
/// <see cref="RollSafetyOptions.MaxCaughtUpAge"/> before the leader's own caught-up time (the
/// leader's clock, so operator clock skew does not matter). A single-voter quorum cannot keep a
/// majority through any restart: allowed, and said so. Without quorum information (brokers that
/// do not serve DescribeQuorum) this rule is skipped, and the decision says so.</item>
/// </list>
/// Ordering the active controller last is the planner's job, not this rule's.
/// </summary>
public static class RollSafety
{
    public static RollDecision Evaluate(
        IEnumerable<TopicMetadata> topics,
        IReadOnlyDictionary<string, int> minInsyncReplicas,
        QuorumInfo? quorum,
        int nodeId,
        long nowMs,
        RollSafetyOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(topics);
        ArgumentNullException.ThrowIfNull(minInsyncReplicas);
        options ??= RollSafetyOptions.Default;

        var refusals = new List<string>();
        var notes = new List<string>();
        var blocked = new List<string>();
        var unavoidable = new List<string>();
        // Users' topics first: the named partitions of a long list should be the ones a person recognises.
        foreach (var topic in topics.OrderBy(t => t.IsInternal).ThenBy(t => t.Name, StringComparer.Ordinal))
        {
            if (topic.Error == ErrorCode.UnknownTopicOrPartition)
            {
                continue; // Deleted since it was listed: nothing left to keep available.
            }

            if (topic.Error != ErrorCode.None)
            {
                refusals.Add($"topic {topic.Name} could not be described ({topic.Error})");
                continue;
            }

            var hosted = topic.Partitions.Where(p => p.Replicas.Contains(nodeId)).OrderBy(p => p.Partition).ToList();
            if (hosted.Count == 0)
            {
                continue;
            }

            if (!minInsyncReplicas.TryGetValue(topic.Name, out var minIsr))
            {
                refusals.Add($"min.insync.replicas of topic {topic.Name} is unknown");
                continue;
            }

            foreach (var partition in hosted)
            {
                if (partition.Replicas.Count <= minIsr)
                {
                    unavoidable.Add(Describe(topic.Name, partition, minIsr));
                }
                else if (partition.Isr.Contains(nodeId) && partition.Isr.Count - 1 < minIsr)
                {
                    blocked.Add(Describe(topic.Name, partition, minIsr));
                }
            }
        }

        if (blocked.Count > 0)
        {
            refusals.Add($"{blocked.Count} partition(s) would fall below min.insync.replicas without node {Int(nodeId)}: {Names(blocked, options)}");
        }

        if (unavoidable.Count > 0)
        {
            notes.Add($"unavoidable: {unavoidable.Count} partition(s) with replication factor <= min.insync.replicas lose availability while node {Int(nodeId)} restarts: {Names(unavoidable, options)}");
        }

        EvaluateQuorum(quorum, nodeId, nowMs, options, refusals, notes);
        if (refusals.Count > 0)
        {
            return RollDecision.Refuse(string.Join("; ", refusals));
        }

        notes.Insert(0, $"no partition would fall below min.insync.replicas without node {Int(nodeId)}");
        return RollDecision.Allow(string.Join("; ", notes));
    }

    /// <summary>Whether <paramref name="voter"/> can be counted on for the majority (see the class rules).</summary>
    public static bool IsCaughtUp(QuorumInfo quorum, QuorumReplica voter, long nowMs, RollSafetyOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(quorum);
        ArgumentNullException.ThrowIfNull(voter);
        options ??= RollSafetyOptions.Default;
        if (voter.ReplicaId == quorum.LeaderId)
        {
            return true;
        }

        if (voter.LogEndOffset < 0 || voter.LastCaughtUpTimestamp < 0 || quorum.LagOf(voter) > options.MaxLagRecords)
        {
            return false;
        }

        var leader = quorum.Voters.FirstOrDefault(v => v.ReplicaId == quorum.LeaderId);
        var reference = leader is { LastCaughtUpTimestamp: >= 0 } ? leader.LastCaughtUpTimestamp : nowMs;
        return reference - voter.LastCaughtUpTimestamp <= (long)options.MaxCaughtUpAge.TotalMilliseconds;
    }

    private static void EvaluateQuorum(QuorumInfo? quorum, int nodeId, long nowMs, RollSafetyOptions options, List<string> refusals, List<string> notes)
    {
        if (quorum is null)
        {
            notes.Add("metadata quorum not checked: the brokers do not serve DescribeQuorum");
            return;
        }

        var voters = quorum.Voters;
        if (!voters.Any(v => v.ReplicaId == nodeId))
        {
            return;
        }

        if (voters.Count == 1)
        {
            notes.Add($"unavoidable: node {Int(nodeId)} is the only metadata quorum voter, so the quorum is unavailable while it restarts");
            return;
        }

        var majority = (voters.Count / 2) + 1;
        var others = voters.Where(v => v.ReplicaId != nodeId).OrderBy(v => v.ReplicaId).ToList();
        var caughtUp = others.Count(v => IsCaughtUp(quorum, v, nowMs, options));
        if (caughtUp < majority)
        {
            var lagging = others.Where(v => !IsCaughtUp(quorum, v, nowMs, options)).Select(v => Int(v.ReplicaId));
            refusals.Add($"metadata quorum would lose its majority: without node {Int(nodeId)} only {Int(caughtUp)} of {Int(voters.Count)} voters are caught up, " +
                $"{Int(majority)} needed (not caught up: {string.Join(", ", lagging)})");
        }
        else
        {
            notes.Add($"metadata quorum keeps {Int(caughtUp)} of {Int(voters.Count)} voters caught up without node {Int(nodeId)}");
        }
    }

    private static string Describe(string topic, PartitionMetadata partition, int minIsr) =>
        $"{topic}-{Int(partition.Partition)} (replicas [{string.Join(",", partition.Replicas.Select(Int))}], " +
        $"ISR [{string.Join(",", partition.Isr.Select(Int))}], min.insync.replicas {Int(minIsr)})";

    private static string Names(List<string> partitions, RollSafetyOptions options)
    {
        var named = string.Join(", ", partitions.Take(options.MaxNamedPartitions));
        return partitions.Count > options.MaxNamedPartitions
            ? $"{named} and {Int(partitions.Count - options.MaxNamedPartitions)} more"
            : named;
    }

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);
}
