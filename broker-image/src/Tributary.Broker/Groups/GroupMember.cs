namespace Tributary.Broker.Groups;

/// <summary>Coordinator-side state of one member of a classic group.</summary>
internal sealed class GroupMember
{
    public GroupMember(
        string memberId,
        string? groupInstanceId,
        string clientId,
        string clientHost,
        int rebalanceTimeoutMs,
        int sessionTimeoutMs,
        string protocolType,
        IReadOnlyList<GroupProtocol> protocols)
    {
        MemberId = memberId;
        GroupInstanceId = groupInstanceId;
        ClientId = clientId;
        ClientHost = clientHost;
        RebalanceTimeoutMs = rebalanceTimeoutMs;
        SessionTimeoutMs = sessionTimeoutMs;
        ProtocolType = protocolType;
        Protocols = protocols;
    }

    /// <summary>Changes when a static member rejoins and replaces its old id.</summary>
    public string MemberId { get; set; }

    public string? GroupInstanceId { get; }

    public string ClientId { get; set; }

    public string ClientHost { get; set; }

    public int RebalanceTimeoutMs { get; set; }

    public int SessionTimeoutMs { get; set; }

    public string ProtocolType { get; }

    /// <summary>Supported protocols in the member's order of preference.</summary>
    public IReadOnlyList<GroupProtocol> Protocols { get; set; }

    public byte[] Assignment { get; set; } = [];

    /// <summary>Token of the JoinGroup request parked until the join phase ends.</summary>
    public long? PendingJoin { get; set; }

    /// <summary>Token of the SyncGroup request parked until the leader's assignment arrives.</summary>
    public long? PendingSync { get; set; }

    /// <summary>Joined but has not yet completed a join phase (cannot heartbeat yet).</summary>
    public bool IsNew { get; set; }

    /// <summary>When the member expires unless it heartbeats (or, for new members, finishes joining).</summary>
    public long HeartbeatDeadlineMs { get; set; }

    public bool IsStatic => GroupInstanceId is not null;

    public bool IsAwaitingJoin => PendingJoin is not null;

    public bool IsAwaitingSync => PendingSync is not null;

    public byte[] MetadataFor(string protocol)
    {
        foreach (var p in Protocols)
        {
            if (p.Name == protocol)
            {
                return p.Metadata;
            }
        }

        throw new InvalidOperationException($"member {MemberId} does not support protocol {protocol}");
    }

    /// <summary>Same protocols, in the same order, with identical metadata.</summary>
    public bool Matches(IReadOnlyList<GroupProtocol> protocols)
    {
        if (protocols.Count != Protocols.Count)
        {
            return false;
        }

        for (var i = 0; i < protocols.Count; i++)
        {
            if (protocols[i].Name != Protocols[i].Name || !protocols[i].Metadata.AsSpan().SequenceEqual(Protocols[i].Metadata))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The member's most preferred protocol among the candidates.</summary>
    public string Vote(IReadOnlySet<string> candidates)
    {
        foreach (var p in Protocols)
        {
            if (candidates.Contains(p.Name))
            {
                return p.Name;
            }
        }

        throw new InvalidOperationException($"member {MemberId} supports none of the candidate protocols");
    }

    /// <summary>Whether the session timer applies to this member right now.</summary>
    /// <remarks>
    /// Members parked in a rebalance count as alive (they cannot heartbeat while their request
    /// waits), except new members, which Kafka bounds with the new-member join timeout.
    /// </remarks>
    public bool CanExpire => IsNew || (!IsAwaitingJoin && !IsAwaitingSync);
}
