using Tributary.Storage;

namespace Tributary.Broker.Groups;

/// <summary>Coordinator-side state of one classic group: membership, generation, offsets, timers.</summary>
/// <remarks>Not thread-safe; <see cref="GroupCoordinator"/> is called by one thread at a time.</remarks>
internal sealed class ClassicGroup
{
    public ClassicGroup(string groupId, int partition)
    {
        GroupId = groupId;
        Partition = partition;
    }

    public string GroupId { get; }

    /// <summary>The <c>__consumer_offsets</c> partition that stores this group.</summary>
    public int Partition { get; }

    public GroupState State { get; set; } = GroupState.Empty;

    public int GenerationId { get; set; }

    /// <summary>Null for simple groups that only store offsets.</summary>
    public string? ProtocolType { get; set; }

    public string? ProtocolName { get; set; }

    public string? LeaderId { get; set; }

    /// <summary>When the group last changed generation (drives offset expiry of empty groups).</summary>
    public long? CurrentStateTimestamp { get; set; }

    /// <summary>Members in join order; the first is chosen as leader when the leader leaves.</summary>
    public OrderedDictionary<string, GroupMember> Members { get; } = new(StringComparer.Ordinal);

    /// <summary>group.instance.id to current member id.</summary>
    public Dictionary<string, string> StaticMembers { get; } = new(StringComparer.Ordinal);

    /// <summary>Member ids handed out with MEMBER_ID_REQUIRED, with the deadline to come back.</summary>
    public Dictionary<string, long> PendingMembers { get; } = new(StringComparer.Ordinal);

    /// <summary>Members of the current generation that have not sent SyncGroup yet.</summary>
    public HashSet<string> PendingSyncMembers { get; } = new(StringComparer.Ordinal);

    /// <summary>When the join phase ends (PreparingRebalance only).</summary>
    public long? JoinDeadlineMs { get; set; }

    /// <summary>The join phase is in its initial delay (empty group collecting members).</summary>
    public bool InitialDelayActive { get; set; }

    public long InitialDelayRemainingMs { get; set; }

    /// <summary>A member joined during the initial delay, which extends it.</summary>
    public bool NewMemberAdded { get; set; }

    /// <summary>When members that have not sent SyncGroup are removed.</summary>
    public long? SyncDeadlineMs { get; set; }

    /// <summary>Topics of the consumer-protocol subscriptions, or null when unknown.</summary>
    public HashSet<string>? SubscribedTopics { get; set; }

    public Dictionary<TopicPartition, CommittedOffset> Offsets { get; } = [];

    public bool Is(GroupState state) => State == state;

    public bool Has(string memberId) => Members.ContainsKey(memberId);

    public bool IsLeader(string memberId) => LeaderId == memberId;

    public int RebalanceTimeoutMs
    {
        get
        {
            var max = 0;
            foreach (var m in Members.Values)
            {
                max = Math.Max(max, m.RebalanceTimeoutMs);
            }

            return max;
        }
    }

    public bool HasAllMembersJoined
    {
        get
        {
            if (PendingMembers.Count != 0)
            {
                return false;
            }

            foreach (var m in Members.Values)
            {
                if (!m.IsAwaitingJoin)
                {
                    return false;
                }
            }

            return true;
        }
    }

    public int AwaitingJoinCount => Members.Values.Count(m => m.IsAwaitingJoin);

    public bool CanRebalance => State is GroupState.Stable or GroupState.CompletingRebalance or GroupState.Empty;

    /// <summary>A member id that does not belong to the given static instance's current member.</summary>
    public bool IsStaticMemberFenced(string? groupInstanceId, string memberId) =>
        groupInstanceId is not null && StaticMembers.TryGetValue(groupInstanceId, out var current) && current != memberId;

    public void Add(GroupMember member)
    {
        if (Members.Count == 0)
        {
            ProtocolType = member.ProtocolType;
        }

        LeaderId ??= member.MemberId;
        Members.Add(member.MemberId, member);
        if (member.GroupInstanceId is not null)
        {
            StaticMembers[member.GroupInstanceId] = member.MemberId;
        }

        PendingMembers.Remove(member.MemberId);
    }

    public void Remove(string memberId)
    {
        if (!Members.Remove(memberId, out var member))
        {
            return;
        }

        if (member.GroupInstanceId is not null)
        {
            StaticMembers.Remove(member.GroupInstanceId);
        }

        PendingSyncMembers.Remove(memberId);
        if (LeaderId == memberId)
        {
            LeaderId = Members.Count > 0 ? Members.GetAt(0).Key : null;
        }
    }

    /// <summary>Renames a static member to its new id, keeping its place and leadership.</summary>
    public GroupMember ReplaceStaticMember(string groupInstanceId, string oldMemberId, string newMemberId)
    {
        var index = Members.IndexOf(oldMemberId);
        var member = Members.GetAt(index).Value;
        Members.RemoveAt(index);
        member.MemberId = newMemberId;
        Members.Insert(index, newMemberId, member);
        StaticMembers[groupInstanceId] = newMemberId;
        if (LeaderId == oldMemberId)
        {
            LeaderId = newMemberId;
        }

        if (PendingSyncMembers.Remove(oldMemberId))
        {
            PendingSyncMembers.Add(newMemberId);
        }

        return member;
    }

    /// <summary>Protocols every member supports.</summary>
    public HashSet<string> CandidateProtocols()
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var m in Members.Values)
        {
            foreach (var p in m.Protocols)
            {
                counts[p.Name] = counts.GetValueOrDefault(p.Name) + 1;
            }
        }

        var candidates = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, count) in counts)
        {
            if (count == Members.Count)
            {
                candidates.Add(name);
            }
        }

        return candidates;
    }

    /// <summary>
    /// Kafka's choice: each member votes for its most preferred candidate, most votes wins.
    /// Ties go to the protocol that reached the count first in join order (deterministic).
    /// </summary>
    public string SelectProtocol()
    {
        var candidates = CandidateProtocols();
        var votes = new Dictionary<string, int>(StringComparer.Ordinal);
        string? best = null;
        var bestVotes = 0;
        foreach (var m in Members.Values)
        {
            var vote = m.Vote(candidates);
            var count = votes[vote] = votes.GetValueOrDefault(vote) + 1;
            if (count > bestVotes)
            {
                best = vote;
                bestVotes = count;
            }
        }

        return best ?? throw new InvalidOperationException("no members to select a protocol");
    }

    /// <summary>Whether a member with these protocols can be part of the group.</summary>
    public bool SupportsProtocols(string memberProtocolType, IReadOnlyList<GroupProtocol> memberProtocols)
    {
        if (Is(GroupState.Empty))
        {
            return memberProtocolType.Length > 0 && memberProtocols.Count > 0;
        }

        if (ProtocolType != memberProtocolType)
        {
            return false;
        }

        var candidates = CandidateProtocols();
        foreach (var p in memberProtocols)
        {
            if (candidates.Contains(p.Name))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Leader list for a JoinGroup response: every member with its metadata for the chosen protocol.</summary>
    public List<JoinGroupMember> CurrentMemberMetadata()
    {
        var protocol = ProtocolName ?? throw new InvalidOperationException("no protocol selected");
        var list = new List<JoinGroupMember>(Members.Count);
        foreach (var m in Members.Values)
        {
            list.Add(new JoinGroupMember(m.MemberId, m.GroupInstanceId, m.MetadataFor(protocol)));
        }

        return list;
    }

    /// <summary>
    /// If the leader did not rejoin, hands leadership to a member that did. False when nobody
    /// rejoined (the join phase must then wait longer).
    /// </summary>
    public bool MaybeElectNewJoinedLeader()
    {
        if (LeaderId is null || !Members.TryGetValue(LeaderId, out var leader))
        {
            return false;
        }

        if (leader.IsAwaitingJoin)
        {
            return true;
        }

        foreach (var m in Members.Values)
        {
            if (m.IsAwaitingJoin)
            {
                LeaderId = m.MemberId;
                return true;
            }
        }

        return false;
    }

    /// <summary>Topics of the consumer subscriptions under the selected protocol, when decodable.</summary>
    public HashSet<string>? ComputeSubscribedTopics()
    {
        if (ProtocolType != ConsumerSubscription.ProtocolType || ProtocolName is null || Members.Count == 0)
        {
            return Members.Count == 0 ? [] : null;
        }

        var topics = new HashSet<string>(StringComparer.Ordinal);
        foreach (var m in Members.Values)
        {
            if (!ConsumerSubscription.TryReadTopics(m.MetadataFor(ProtocolName), topics))
            {
                return null;
            }
        }

        return topics;
    }

    /// <summary>True when offsets for this topic must be kept (unknown subscriptions count as subscribed).</summary>
    public bool IsSubscribedToTopic(string topic) => SubscribedTopics is null || SubscribedTopics.Contains(topic);
}
