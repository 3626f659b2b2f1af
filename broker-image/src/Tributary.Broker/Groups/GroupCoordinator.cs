using System.Globalization;
using System.Text;
using Tributary.Protocol;
using Tributary.Storage;

namespace Tributary.Broker.Groups;

/// <summary>
/// Kafka's classic group coordinator as pure logic: membership (JoinGroup, SyncGroup, Heartbeat,
/// LeaveGroup, static membership), offsets (commit, fetch, delete, expiry), admin (list,
/// describe, delete) and persistence to <c>__consumer_offsets</c> records.
/// </summary>
/// <remarks>
/// No I/O, threads or timers. JoinGroup/SyncGroup requests carry a host token; their responses
/// appear in a <see cref="GroupActions"/> either at once or from a later call (another member's
/// request, or <see cref="OnTick"/> when a deadline passes). The host calls <see cref="OnTick"/>
/// at <see cref="NextDeadlineMs"/>; every call about a group also fires that group's passed
/// deadlines first, so a late timer never shows a request stale state. Not thread-safe: the host
/// serialises calls.
/// </remarks>
public sealed class GroupCoordinator
{
    private const string MemberIdDelimiter = "-";

    private readonly GroupCoordinatorConfig _config;
    private readonly TimeProvider _time;
    private readonly Func<Guid> _newGuid;
    private readonly Dictionary<string, ClassicGroup> _groups = new(StringComparer.Ordinal);

    /// <summary>Owned partitions: a loader while loading, null once loaded.</summary>
    private readonly Dictionary<int, GroupLoader?> _partitions = [];

    private long _nextOffsetExpiryMs;

    public GroupCoordinator(GroupCoordinatorConfig config, TimeProvider time, Func<Guid>? newGuid = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(time);
        _config = config;
        _time = time;
        _newGuid = newGuid ?? Guid.NewGuid;
        _nextOffsetExpiryMs = Now + config.OffsetsRetentionCheckIntervalMs;
    }

    private long Now => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>The <c>__consumer_offsets</c> partition of a group (FindCoordinator uses its leader).</summary>
    public int PartitionFor(string groupId) => GroupPartitioner.PartitionFor(groupId, _config.OffsetsTopicPartitions);

    // ---------------------------------------------------------------- loading

    /// <summary>Starts owning a partition; requests for its groups get COORDINATOR_LOAD_IN_PROGRESS until loaded.</summary>
    public void BeginLoad(int partition) => _partitions[partition] = new GroupLoader();

    /// <summary>
    /// Replays one record of the partition in log order (value null = tombstone).
    /// Returns false for a record that does not decode; it is skipped.
    /// </summary>
    public bool Replay(int partition, ReadOnlyMemory<byte> key, ReadOnlyMemory<byte>? value)
    {
        if (!_partitions.TryGetValue(partition, out var loader) || loader is null)
        {
            throw new InvalidOperationException($"partition {partition} is not loading");
        }

        return loader.Apply(key, value);
    }

    /// <summary>Array form of <see cref="Replay(int, ReadOnlyMemory{byte}, ReadOnlyMemory{byte}?)"/>; a null value is a tombstone.</summary>
    /// <remarks>Exists because a null <c>byte[]</c> would otherwise convert to an empty, non-null memory.</remarks>
    public bool Replay(int partition, byte[] key, byte[]? value)
    {
        ReadOnlyMemory<byte>? memory = null;
        if (value is not null)
        {
            memory = value;
        }

        return Replay(partition, new ReadOnlyMemory<byte>(key), memory);
    }

    /// <summary>Builds the groups of a partition from the replayed records and starts serving them.</summary>
    public void CompleteLoad(int partition)
    {
        if (!_partitions.TryGetValue(partition, out var loader) || loader is null)
        {
            throw new InvalidOperationException($"partition {partition} is not loading");
        }

        var now = Now;
        foreach (var (groupId, snapshot) in loader.Groups)
        {
            var group = new ClassicGroup(groupId, partition)
            {
                ProtocolType = snapshot.ProtocolType.Length == 0 ? null : snapshot.ProtocolType,
                GenerationId = snapshot.Generation,
                ProtocolName = snapshot.Protocol,
                CurrentStateTimestamp = snapshot.CurrentStateTimestamp < 0 ? null : snapshot.CurrentStateTimestamp,
                State = snapshot.Members.Count == 0 ? GroupState.Empty : GroupState.Stable,
            };
            foreach (var m in snapshot.Members)
            {
                GroupProtocol[] protocols = snapshot.Protocol is null ? [] : [new GroupProtocol(snapshot.Protocol, m.Subscription)];
                var member = new GroupMember(m.MemberId, m.GroupInstanceId, m.ClientId, m.ClientHost, m.RebalanceTimeoutMs,
                    m.SessionTimeoutMs, snapshot.ProtocolType, protocols)
                {
                    Assignment = m.Assignment,
                    HeartbeatDeadlineMs = now + m.SessionTimeoutMs,
                };
                group.Add(member);
            }

            group.LeaderId = snapshot.Leader is not null && group.Has(snapshot.Leader) ? snapshot.Leader : group.LeaderId;
            group.SubscribedTopics = group.ComputeSubscribedTopics();
            _groups[groupId] = group;
        }

        foreach (var (groupId, offsets) in loader.Offsets)
        {
            if (!_groups.TryGetValue(groupId, out var group))
            {
                group = new ClassicGroup(groupId, partition);
                _groups[groupId] = group;
            }

            foreach (var (tp, offset) in offsets)
            {
                group.Offsets[tp] = offset;
            }
        }

        _partitions[partition] = null;
    }

    /// <summary>
    /// Stops owning a partition (leadership moved, or an append failed): its groups are dropped and
    /// parked JoinGroup/SyncGroup requests are answered NOT_COORDINATOR.
    /// </summary>
    public GroupActions Unload(int partition)
    {
        var actions = new GroupActions();
        _partitions.Remove(partition);
        foreach (var group in _groups.Values.Where(g => g.Partition == partition).ToList())
        {
            foreach (var m in group.Members.Values)
            {
                if (m.PendingJoin is { } join)
                {
                    actions.Join(join, JoinGroupResult.Failure(m.MemberId, ErrorCode.NotCoordinator));
                }

                if (m.PendingSync is { } sync)
                {
                    actions.Sync(sync, SyncGroupResult.Failure(ErrorCode.NotCoordinator));
                }
            }

            _groups.Remove(group.GroupId);
        }

        return actions;
    }

    public bool IsLoaded(int partition) => _partitions.TryGetValue(partition, out var loader) && loader is null;

    private ErrorCode CheckGroupId(string? groupId, bool requireNonEmpty)
    {
        if (groupId is null || (requireNonEmpty && groupId.Length == 0))
        {
            return ErrorCode.InvalidGroupId;
        }

        if (!_partitions.TryGetValue(PartitionFor(groupId), out var loader))
        {
            return ErrorCode.NotCoordinator;
        }

        return loader is null ? ErrorCode.None : ErrorCode.CoordinatorLoadInProgress;
    }

    // ---------------------------------------------------------------- JoinGroup

    /// <summary>Handles JoinGroup; the response for <paramref name="token"/> may come now or later.</summary>
    public GroupActions JoinGroup(long token, JoinGroupRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var actions = new GroupActions();
        var error = CheckGroupId(request.GroupId, requireNonEmpty: true);
        if (error != ErrorCode.None)
        {
            actions.Join(token, JoinGroupResult.Failure(request.MemberId, error));
            return actions;
        }

        if (request.SessionTimeoutMs < _config.MinSessionTimeoutMs || request.SessionTimeoutMs > _config.MaxSessionTimeoutMs)
        {
            actions.Join(token, JoinGroupResult.Failure(request.MemberId, ErrorCode.InvalidSessionTimeout));
            return actions;
        }

        var isUnknownMember = request.MemberId.Length == 0;
        if (!TryGetCurrentGroup(request.GroupId, actions, out var group))
        {
            if (!isUnknownMember)
            {
                actions.Join(token, JoinGroupResult.Failure(request.MemberId, ErrorCode.UnknownMemberId));
                return actions;
            }

            group = new ClassicGroup(request.GroupId, PartitionFor(request.GroupId));
            _groups[request.GroupId] = group;
        }

        if (!AcceptJoiningMember(group, request.MemberId))
        {
            if (group.Members.TryGetValue(request.MemberId, out var rejected))
            {
                RemoveMemberAndUpdateGroup(group, rejected, actions);
            }

            group.PendingMembers.Remove(request.MemberId);
            actions.Join(token, JoinGroupResult.Failure(string.Empty, ErrorCode.GroupMaxSizeReached));
        }
        else if (isUnknownMember)
        {
            NewMemberJoin(group, token, request, actions);
        }
        else
        {
            CurrentMemberJoin(group, token, request, actions);
        }

        TryCompleteJoin(group, actions);
        return actions;
    }

    private bool AcceptJoiningMember(ClassicGroup group, string memberId) => group.State switch
    {
        GroupState.Empty or GroupState.Dead => true,

        // The number of members awaiting join is used, not the group size: the size may exceed
        // a lowered limit, and this kicks out the last members to rejoin.
        GroupState.PreparingRebalance =>
            (group.Members.TryGetValue(memberId, out var m) && m.IsAwaitingJoin) || group.AwaitingJoinCount < _config.GroupMaxSize,
        _ => group.Has(memberId) || group.Members.Count < _config.GroupMaxSize,
    };

    private void NewMemberJoin(ClassicGroup group, long token, JoinGroupRequest request, GroupActions actions)
    {
        if (group.Is(GroupState.Dead))
        {
            actions.Join(token, JoinGroupResult.Failure(request.MemberId, ErrorCode.CoordinatorNotAvailable));
            return;
        }

        if (!group.SupportsProtocols(request.ProtocolType, request.Protocols))
        {
            actions.Join(token, JoinGroupResult.Failure(request.MemberId, ErrorCode.InconsistentGroupProtocol));
            return;
        }

        var prefix = request.GroupInstanceId ?? request.ClientId;
        var newMemberId = prefix + MemberIdDelimiter + _newGuid().ToString("D", CultureInfo.InvariantCulture);
        if (request.GroupInstanceId is { } instanceId)
        {
            if (group.StaticMembers.TryGetValue(instanceId, out var oldMemberId))
            {
                UpdateStaticMemberAndRebalance(group, token, request, oldMemberId, newMemberId, actions);
            }
            else
            {
                AddMemberAndRebalance(group, token, request, newMemberId, actions);
            }
        }
        else if (request.RequireKnownMemberId)
        {
            // KIP-394: hand out the id and wait for the member to come back with it, so a client
            // that times out and retries does not leave a defunct member behind.
            group.PendingMembers[newMemberId] = Now + request.SessionTimeoutMs;
            actions.Join(token, JoinGroupResult.Failure(newMemberId, ErrorCode.MemberIdRequired));
        }
        else
        {
            AddMemberAndRebalance(group, token, request, newMemberId, actions);
        }
    }

    private void CurrentMemberJoin(ClassicGroup group, long token, JoinGroupRequest request, GroupActions actions)
    {
        var memberId = request.MemberId;
        if (group.Is(GroupState.Dead))
        {
            actions.Join(token, JoinGroupResult.Failure(memberId, ErrorCode.CoordinatorNotAvailable));
            return;
        }

        if (!group.SupportsProtocols(request.ProtocolType, request.Protocols))
        {
            actions.Join(token, JoinGroupResult.Failure(memberId, ErrorCode.InconsistentGroupProtocol));
            return;
        }

        if (group.PendingMembers.ContainsKey(memberId))
        {
            // A member coming back with the id handed out by MEMBER_ID_REQUIRED.
            AddMemberAndRebalance(group, token, request, memberId, actions);
            return;
        }

        if (group.IsStaticMemberFenced(request.GroupInstanceId, memberId))
        {
            actions.Join(token, JoinGroupResult.Failure(memberId, ErrorCode.FencedInstanceId));
            return;
        }

        if (!group.Members.TryGetValue(memberId, out var member)
            || (request.GroupInstanceId is not null && !group.StaticMembers.ContainsKey(request.GroupInstanceId)))
        {
            actions.Join(token, JoinGroupResult.Failure(memberId, ErrorCode.UnknownMemberId));
            return;
        }

        switch (group.State)
        {
            case GroupState.PreparingRebalance:
                UpdateMemberAndRebalance(group, member, token, request, actions);
                break;
            case GroupState.CompletingRebalance:
                if (member.Matches(request.Protocols))
                {
                    // Same metadata: the member probably lost the first response; resend it.
                    actions.Join(token, CurrentGenerationResult(group, memberId, group.IsLeader(memberId)));
                }
                else
                {
                    UpdateMemberAndRebalance(group, member, token, request, actions);
                }

                break;
            case GroupState.Stable:
                // The leader may rejoin to force a rebalance (e.g. topic metadata changed).
                if (group.IsLeader(memberId) || !member.Matches(request.Protocols))
                {
                    UpdateMemberAndRebalance(group, member, token, request, actions);
                }
                else
                {
                    actions.Join(token, CurrentGenerationResult(group, memberId, includeMembers: false));
                }

                break;
            default:
                actions.Join(token, JoinGroupResult.Failure(memberId, ErrorCode.UnknownMemberId));
                break;
        }
    }

    private static JoinGroupResult CurrentGenerationResult(ClassicGroup group, string memberId, bool includeMembers) =>
        new(ErrorCode.None, group.GenerationId, group.ProtocolType, group.ProtocolName, group.LeaderId ?? string.Empty, memberId,
            includeMembers ? group.CurrentMemberMetadata() : []);

    private void AddMemberAndRebalance(ClassicGroup group, long token, JoinGroupRequest request, string memberId, GroupActions actions)
    {
        var member = new GroupMember(memberId, request.GroupInstanceId, request.ClientId, request.ClientHost,
            request.RebalanceTimeoutMs, request.SessionTimeoutMs, request.ProtocolType, request.Protocols)
        {
            IsNew = true,
            PendingJoin = token,
            HeartbeatDeadlineMs = Now + _config.NewMemberJoinTimeoutMs,
        };

        // A new member during the initial delay of a fresh group extends the delay.
        if (group.Is(GroupState.PreparingRebalance) && group.GenerationId == 0)
        {
            group.NewMemberAdded = true;
        }

        group.Add(member);
        MaybePrepareRebalance(group, actions);
    }

    private void UpdateMemberAndRebalance(ClassicGroup group, GroupMember member, long token, JoinGroupRequest request, GroupActions actions)
    {
        UpdateMember(member, token, request, actions);
        MaybePrepareRebalance(group, actions);
    }

    private static void UpdateMember(GroupMember member, long token, JoinGroupRequest request, GroupActions actions)
    {
        if (member.PendingJoin is { } previous && previous != token)
        {
            // A retried JoinGroup supersedes the parked one; answer the old request so it is not leaked.
            actions.Join(previous, JoinGroupResult.Failure(member.MemberId, ErrorCode.RebalanceInProgress));
        }

        member.Protocols = request.Protocols;
        member.RebalanceTimeoutMs = request.RebalanceTimeoutMs;
        member.SessionTimeoutMs = request.SessionTimeoutMs;
        member.ClientId = request.ClientId;
        member.ClientHost = request.ClientHost;
        member.PendingJoin = token;
    }

    private void UpdateStaticMemberAndRebalance(
        ClassicGroup group, long token, JoinGroupRequest request, string oldMemberId, string newMemberId, GroupActions actions)
    {
        var currentLeader = group.LeaderId ?? string.Empty;
        var oldMember = group.Members[oldMemberId];

        // The old incarnation is fenced: its parked requests are answered FENCED_INSTANCE_ID.
        if (oldMember.PendingJoin is { } oldJoin)
        {
            actions.Join(oldJoin, JoinGroupResult.Failure(oldMemberId, ErrorCode.FencedInstanceId));
            oldMember.PendingJoin = null;
        }

        if (oldMember.PendingSync is { } oldSync)
        {
            actions.Sync(oldSync, SyncGroupResult.Failure(ErrorCode.FencedInstanceId));
            oldMember.PendingSync = null;
        }

        var member = group.ReplaceStaticMember(request.GroupInstanceId!, oldMemberId, newMemberId);
        member.HeartbeatDeadlineMs = Now + request.SessionTimeoutMs;
        var oldProtocols = member.Protocols;
        var oldRebalanceTimeout = member.RebalanceTimeoutMs;
        var oldSessionTimeout = member.SessionTimeoutMs;
        UpdateMember(member, token, request, actions);

        switch (group.State)
        {
            case GroupState.Stable:
                if (group.ProtocolName == group.SelectProtocol())
                {
                    // Nothing the assignment depends on changed: keep the generation. The response
                    // names the previous leader id so that this member never believes it leads
                    // (a stable group would not distribute a new assignment).
                    member.PendingJoin = null;
                    actions.Record(GroupMetadataRecord(group));
                    actions.Join(token, new JoinGroupResult(ErrorCode.None, group.GenerationId, group.ProtocolType,
                        group.ProtocolName, currentLeader, newMemberId, []));
                }
                else
                {
                    MaybePrepareRebalance(group, actions);
                }

                break;
            case GroupState.CompletingRebalance:
                // The leader may already be assigning with the old member id: start over.
                PrepareRebalance(group, actions);
                break;
            case GroupState.PreparingRebalance:
                break;
            default:
                // Empty/Dead groups have no static members to replace; undo to stay consistent.
                member.Protocols = oldProtocols;
                member.RebalanceTimeoutMs = oldRebalanceTimeout;
                member.SessionTimeoutMs = oldSessionTimeout;
                member.PendingJoin = null;
                actions.Join(token, JoinGroupResult.Failure(newMemberId, ErrorCode.UnknownServerError));
                break;
        }
    }

    private void MaybePrepareRebalance(ClassicGroup group, GroupActions actions)
    {
        if (group.CanRebalance)
        {
            PrepareRebalance(group, actions);
        }
    }

    private void PrepareRebalance(ClassicGroup group, GroupActions actions)
    {
        if (group.Is(GroupState.CompletingRebalance))
        {
            ResetAndPropagateAssignmentError(group, ErrorCode.RebalanceInProgress, actions);
        }

        group.SyncDeadlineMs = null;
        group.PendingSyncMembers.Clear();
        var now = Now;
        if (group.Is(GroupState.Empty))
        {
            // A fresh group waits group.initial.rebalance.delay.ms for more members, extended while
            // members keep arriving, but never past the rebalance timeout.
            group.InitialDelayActive = true;
            group.NewMemberAdded = false;
            group.InitialDelayRemainingMs = Math.Max(group.RebalanceTimeoutMs - _config.InitialRebalanceDelayMs, 0);
            group.JoinDeadlineMs = now + _config.InitialRebalanceDelayMs;
        }
        else
        {
            group.InitialDelayActive = false;
            group.JoinDeadlineMs = now + group.RebalanceTimeoutMs;
        }

        group.State = GroupState.PreparingRebalance;
        TryCompleteJoin(group, actions);
    }

    private static void ResetAndPropagateAssignmentError(ClassicGroup group, ErrorCode error, GroupActions actions)
    {
        foreach (var m in group.Members.Values)
        {
            m.Assignment = [];
            if (m.PendingSync is { } sync)
            {
                actions.Sync(sync, SyncGroupResult.Failure(error));
                m.PendingSync = null;
            }
        }
    }

    private void TryCompleteJoin(ClassicGroup group, GroupActions actions)
    {
        if (group.Is(GroupState.PreparingRebalance) && !group.InitialDelayActive && group.HasAllMembersJoined)
        {
            CompleteJoin(group, actions);
        }
    }

    /// <summary>Ends the join phase: drops dynamic members that did not rejoin and starts the next generation.</summary>
    private void CompleteJoin(ClassicGroup group, GroupActions actions)
    {
        var now = Now;
        foreach (var m in group.Members.Values.Where(m => !m.IsAwaitingJoin && !m.IsStatic).ToList())
        {
            group.Remove(m.MemberId);
        }

        if (!group.MaybeElectNewJoinedLeader() && group.Members.Count > 0)
        {
            // Nobody rejoined yet; wait another rebalance timeout for session expiry to clean up.
            group.InitialDelayActive = false;
            group.JoinDeadlineMs = now + group.RebalanceTimeoutMs;
            return;
        }

        group.JoinDeadlineMs = null;
        group.InitialDelayActive = false;
        group.GenerationId++;
        group.CurrentStateTimestamp = now;
        if (group.Members.Count == 0)
        {
            group.ProtocolName = null;
            group.SubscribedTopics = [];
            group.State = GroupState.Empty;
            actions.Record(GroupMetadataRecord(group));
            return;
        }

        group.ProtocolName = group.SelectProtocol();
        group.SubscribedTopics = group.ComputeSubscribedTopics();
        group.State = GroupState.CompletingRebalance;
        foreach (var m in group.Members.Values)
        {
            if (m.PendingJoin is { } join)
            {
                actions.Join(join, CurrentGenerationResult(group, m.MemberId, group.IsLeader(m.MemberId)));
                m.PendingJoin = null;
            }

            m.HeartbeatDeadlineMs = now + m.SessionTimeoutMs;
            m.IsNew = false;
            group.PendingSyncMembers.Add(m.MemberId);
        }

        group.SyncDeadlineMs = now + group.RebalanceTimeoutMs;
    }

    // ---------------------------------------------------------------- SyncGroup

    /// <summary>Handles SyncGroup; followers' responses are parked until the leader's assignment arrives.</summary>
    public GroupActions SyncGroup(long token, SyncGroupRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var actions = new GroupActions();
        var error = CheckGroupId(request.GroupId, requireNonEmpty: true);
        if (error != ErrorCode.None)
        {
            actions.Sync(token, SyncGroupResult.Failure(error));
            return actions;
        }

        if (!TryGetCurrentGroup(request.GroupId, actions, out var group))
        {
            actions.Sync(token, SyncGroupResult.Failure(ErrorCode.UnknownMemberId));
            return actions;
        }

        var memberId = request.MemberId;
        if (group.Is(GroupState.Dead))
        {
            error = ErrorCode.CoordinatorNotAvailable;
        }
        else if (group.IsStaticMemberFenced(request.GroupInstanceId, memberId))
        {
            error = ErrorCode.FencedInstanceId;
        }
        else if (!group.Has(memberId))
        {
            error = ErrorCode.UnknownMemberId;
        }
        else if (request.GenerationId != group.GenerationId)
        {
            error = ErrorCode.IllegalGeneration;
        }
        else if ((request.ProtocolType is not null && request.ProtocolType != group.ProtocolType)
            || (request.ProtocolName is not null && request.ProtocolName != group.ProtocolName))
        {
            error = ErrorCode.InconsistentGroupProtocol;
        }

        if (error != ErrorCode.None)
        {
            actions.Sync(token, SyncGroupResult.Failure(error));
            return actions;
        }

        var member = group.Members[memberId];
        switch (group.State)
        {
            case GroupState.Empty:
                actions.Sync(token, SyncGroupResult.Failure(ErrorCode.UnknownMemberId));
                break;
            case GroupState.PreparingRebalance:
                actions.Sync(token, SyncGroupResult.Failure(ErrorCode.RebalanceInProgress));
                break;
            case GroupState.CompletingRebalance:
                if (member.PendingSync is { } previous && previous != token)
                {
                    actions.Sync(previous, SyncGroupResult.Failure(ErrorCode.RebalanceInProgress));
                }

                member.PendingSync = token;
                RemovePendingSyncMember(group, memberId);
                if (group.IsLeader(memberId))
                {
                    // Members the leader left out get an empty assignment; unknown ids are ignored.
                    foreach (var m in group.Members.Values)
                    {
                        m.Assignment = request.Assignments.TryGetValue(m.MemberId, out var a) ? a : [];
                    }

                    actions.Record(GroupMetadataRecord(group));
                    PropagateAssignment(group, actions);
                    group.State = GroupState.Stable;
                }

                break;
            case GroupState.Stable:
                RemovePendingSyncMember(group, memberId);
                member.HeartbeatDeadlineMs = Now + member.SessionTimeoutMs;
                actions.Sync(token, new SyncGroupResult(ErrorCode.None, group.ProtocolType, group.ProtocolName, member.Assignment));
                break;
            default:
                actions.Sync(token, SyncGroupResult.Failure(ErrorCode.CoordinatorNotAvailable));
                break;
        }

        return actions;
    }

    private static void RemovePendingSyncMember(ClassicGroup group, string memberId)
    {
        group.PendingSyncMembers.Remove(memberId);
        if (group.PendingSyncMembers.Count == 0)
        {
            group.SyncDeadlineMs = null;
        }
    }

    private void PropagateAssignment(ClassicGroup group, GroupActions actions)
    {
        var now = Now;
        foreach (var m in group.Members.Values)
        {
            if (m.PendingSync is { } sync)
            {
                actions.Sync(sync, new SyncGroupResult(ErrorCode.None, group.ProtocolType, group.ProtocolName, m.Assignment));
                m.PendingSync = null;
                m.HeartbeatDeadlineMs = now + m.SessionTimeoutMs;
            }
        }
    }

    // ---------------------------------------------------------------- Heartbeat / LeaveGroup

    /// <summary>Handles Heartbeat; returns the error code for the response.</summary>
    public GroupResult<ErrorCode> Heartbeat(HeartbeatRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var actions = new GroupActions();
        var error = CheckGroupId(request.GroupId, requireNonEmpty: true);
        if (error != ErrorCode.None)
        {
            return new GroupResult<ErrorCode>(error, actions);
        }

        if (!TryGetCurrentGroup(request.GroupId, actions, out var group))
        {
            return new GroupResult<ErrorCode>(ErrorCode.UnknownMemberId, actions);
        }

        if (group.Is(GroupState.Dead))
        {
            error = ErrorCode.CoordinatorNotAvailable;
        }
        else if (group.IsStaticMemberFenced(request.GroupInstanceId, request.MemberId))
        {
            error = ErrorCode.FencedInstanceId;
        }
        else if (!group.Members.TryGetValue(request.MemberId, out var member))
        {
            error = ErrorCode.UnknownMemberId;
        }
        else if (request.GenerationId != group.GenerationId)
        {
            error = ErrorCode.IllegalGeneration;
        }
        else if (group.Is(GroupState.Empty))
        {
            error = ErrorCode.UnknownMemberId;
        }
        else
        {
            member.HeartbeatDeadlineMs = Now + member.SessionTimeoutMs;
            error = group.Is(GroupState.PreparingRebalance) ? ErrorCode.RebalanceInProgress : ErrorCode.None;
        }

        return new GroupResult<ErrorCode>(error, actions);
    }

    /// <summary>Handles LeaveGroup for one or more members (v3+ batches).</summary>
    public GroupResult<LeaveGroupResult> LeaveGroup(string groupId, IReadOnlyList<MemberIdentity> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        var actions = new GroupActions();
        var error = CheckGroupId(groupId, requireNonEmpty: true);
        if (error != ErrorCode.None)
        {
            return new GroupResult<LeaveGroupResult>(new LeaveGroupResult(error, []), actions);
        }

        if (!TryGetCurrentGroup(groupId, actions, out var group))
        {
            var unknown = members.Select(m => new MemberLeaveResult(m.MemberId, m.GroupInstanceId, ErrorCode.UnknownMemberId)).ToList();
            return new GroupResult<LeaveGroupResult>(new LeaveGroupResult(ErrorCode.None, unknown), actions);
        }

        var results = new List<MemberLeaveResult>(members.Count);
        foreach (var leaving in members)
        {
            var memberError = ErrorCode.None;
            if (leaving.MemberId.Length == 0)
            {
                // Administrative removal of a static member by instance id.
                if (leaving.GroupInstanceId is not null
                    && group.StaticMembers.TryGetValue(leaving.GroupInstanceId, out var current))
                {
                    RemoveMemberAndUpdateGroup(group, group.Members[current], actions);
                }
                else
                {
                    memberError = ErrorCode.UnknownMemberId;
                }
            }
            else if (group.PendingMembers.Remove(leaving.MemberId))
            {
                TryCompleteJoin(group, actions);
            }
            else if (group.IsStaticMemberFenced(leaving.GroupInstanceId, leaving.MemberId))
            {
                memberError = ErrorCode.FencedInstanceId;
            }
            else if (group.Members.TryGetValue(leaving.MemberId, out var member))
            {
                RemoveMemberAndUpdateGroup(group, member, actions);
            }
            else
            {
                memberError = ErrorCode.UnknownMemberId;
            }

            results.Add(new MemberLeaveResult(leaving.MemberId, leaving.GroupInstanceId, memberError));
        }

        return new GroupResult<LeaveGroupResult>(new LeaveGroupResult(ErrorCode.None, results), actions);
    }

    private void RemoveMemberAndUpdateGroup(ClassicGroup group, GroupMember member, GroupActions actions)
    {
        // A parked JoinGroup gets UNKNOWN_MEMBER_ID so a still-running client rejoins as new.
        if (member.PendingJoin is { } join)
        {
            actions.Join(join, JoinGroupResult.Failure(string.Empty, ErrorCode.UnknownMemberId));
            member.PendingJoin = null;
        }

        if (member.PendingSync is { } sync)
        {
            actions.Sync(sync, SyncGroupResult.Failure(ErrorCode.UnknownMemberId));
            member.PendingSync = null;
        }

        group.Remove(member.MemberId);
        switch (group.State)
        {
            case GroupState.Stable or GroupState.CompletingRebalance:
                MaybePrepareRebalance(group, actions);
                break;
            case GroupState.PreparingRebalance:
                TryCompleteJoin(group, actions);
                break;
        }
    }

    // ---------------------------------------------------------------- timers

    /// <summary>The earliest time (Unix ms) at which <see cref="OnTick"/> has work to do.</summary>
    public long NextDeadlineMs
    {
        get
        {
            var next = _nextOffsetExpiryMs;
            foreach (var group in _groups.Values)
            {
                if (group.JoinDeadlineMs is { } join)
                {
                    next = Math.Min(next, join);
                }

                if (group.SyncDeadlineMs is { } sync)
                {
                    next = Math.Min(next, sync);
                }

                foreach (var deadline in group.PendingMembers.Values)
                {
                    next = Math.Min(next, deadline);
                }

                foreach (var m in group.Members.Values)
                {
                    if (m.CanExpire)
                    {
                        next = Math.Min(next, m.HeartbeatDeadlineMs);
                    }
                }
            }

            return next;
        }
    }

    /// <summary>Fires every deadline that has passed: session expiry, join and sync timeouts, offset expiry.</summary>
    public GroupActions OnTick()
    {
        var actions = new GroupActions();
        var now = Now;
        foreach (var group in _groups.Values.ToList())
        {
            FireDueTimers(group, now, actions);
        }

        if (_nextOffsetExpiryMs <= now)
        {
            ExpireOffsets(now, actions);
            _nextOffsetExpiryMs = now + _config.OffsetsRetentionCheckIntervalMs;
        }

        return actions;
    }

    /// <summary>
    /// Fires the deadlines of one group that have passed: pending-member, session, join and sync timeouts.
    /// </summary>
    /// <remarks>
    /// Besides <see cref="OnTick"/>, every call about a group runs this first, so what a request
    /// observes never depends on how punctually the host's timer fired: a member whose session
    /// lapsed is gone for any request that arrives after the deadline (e.g. DeleteGroups right
    /// after the session timeout of consumers that closed without leaving, as static members do).
    /// </remarks>
    private void FireDueTimers(ClassicGroup group, long now, GroupActions actions)
    {
        // This runs before every heartbeat, so the member lists are copied (removal while
        // iterating) only when a deadline has actually passed, which is rare.
        if (AnyPendingMemberDue(group, now))
        {
            foreach (var (pendingId, deadline) in group.PendingMembers.ToList())
            {
                if (deadline <= now)
                {
                    group.PendingMembers.Remove(pendingId);
                    TryCompleteJoin(group, actions);
                }
            }
        }

        if (AnyMemberSessionDue(group, now))
        {
            foreach (var m in group.Members.Values.ToList())
            {
                if (group.Members.ContainsKey(m.MemberId) && m.CanExpire && m.HeartbeatDeadlineMs <= now)
                {
                    RemoveMemberAndUpdateGroup(group, m, actions);
                }
            }
        }

        if (group.Is(GroupState.PreparingRebalance) && group.JoinDeadlineMs is { } join && join <= now)
        {
            OnJoinDeadline(group, actions);
        }

        if (group.SyncDeadlineMs is { } sync && sync <= now)
        {
            OnSyncDeadline(group, actions);
        }
    }

    private static bool AnyPendingMemberDue(ClassicGroup group, long now)
    {
        foreach (var (_, deadline) in group.PendingMembers)
        {
            if (deadline <= now)
            {
                return true;
            }
        }

        return false;
    }

    private static bool AnyMemberSessionDue(ClassicGroup group, long now)
    {
        foreach (var (_, member) in group.Members)
        {
            if (member.CanExpire && member.HeartbeatDeadlineMs <= now)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Looks a group up after firing its passed deadlines (see <see cref="FireDueTimers"/>).</summary>
    private bool TryGetCurrentGroup(string groupId, GroupActions actions, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ClassicGroup? group)
    {
        if (!_groups.TryGetValue(groupId, out group))
        {
            return false;
        }

        FireDueTimers(group, Now, actions);
        return true;
    }

    private void OnJoinDeadline(ClassicGroup group, GroupActions actions)
    {
        if (group.InitialDelayActive && group.NewMemberAdded && group.InitialDelayRemainingMs != 0)
        {
            var delay = Math.Min(_config.InitialRebalanceDelayMs, group.InitialDelayRemainingMs);
            group.InitialDelayRemainingMs = Math.Max(group.InitialDelayRemainingMs - delay, 0);
            group.NewMemberAdded = false;
            group.JoinDeadlineMs = Now + delay;
            return;
        }

        CompleteJoin(group, actions);
    }

    private void OnSyncDeadline(ClassicGroup group, GroupActions actions)
    {
        group.SyncDeadlineMs = null;
        if (!group.Is(GroupState.CompletingRebalance) && !group.Is(GroupState.Stable))
        {
            return;
        }

        if (group.PendingSyncMembers.Count == 0)
        {
            return;
        }

        foreach (var memberId in group.PendingSyncMembers.ToList())
        {
            if (group.Members.TryGetValue(memberId, out var m) && m.PendingSync is { } sync)
            {
                actions.Sync(sync, SyncGroupResult.Failure(ErrorCode.UnknownMemberId));
                m.PendingSync = null;
            }

            group.Remove(memberId);
        }

        PrepareRebalance(group, actions);
    }

    // ---------------------------------------------------------------- offsets

    /// <summary>Handles OffsetCommit (non-transactional).</summary>
    public GroupResult<IReadOnlyList<PartitionResult>> CommitOffsets(OffsetCommitRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var actions = new GroupActions();
        var error = CheckGroupId(request.GroupId, requireNonEmpty: false);
        if (error == ErrorCode.None)
        {
            error = ValidateOffsetCommit(request, actions, out var group);
            if (error == ErrorCode.None)
            {
                return new GroupResult<IReadOnlyList<PartitionResult>>(StoreOffsets(group!, request.Offsets, actions), actions);
            }
        }

        return new GroupResult<IReadOnlyList<PartitionResult>>(AllPartitions(request.Offsets, error), actions);
    }

    private static List<PartitionResult> AllPartitions(IReadOnlyList<OffsetCommitEntry> offsets, ErrorCode error) =>
        offsets.Select(o => new PartitionResult(o.Topic, o.Partition, error)).ToList();

    private ErrorCode ValidateOffsetCommit(OffsetCommitRequest request, GroupActions actions, out ClassicGroup? group)
    {
        if (!TryGetCurrentGroup(request.GroupId, actions, out group))
        {
            if (request.GenerationId >= 0)
            {
                // A commit from an old generation of a group that no longer exists.
                return ErrorCode.IllegalGeneration;
            }

            // Simple consumers (no group management) store offsets in an Empty group.
            group = new ClassicGroup(request.GroupId, PartitionFor(request.GroupId));
            _groups[request.GroupId] = group;
        }

        if (group.Is(GroupState.Dead))
        {
            return ErrorCode.CoordinatorNotAvailable;
        }

        if (request.GenerationId >= 0 || request.MemberId.Length != 0 || request.GroupInstanceId is not null)
        {
            if (group.IsStaticMemberFenced(request.GroupInstanceId, request.MemberId))
            {
                return ErrorCode.FencedInstanceId;
            }

            if (!group.Members.TryGetValue(request.MemberId, out var member))
            {
                return ErrorCode.UnknownMemberId;
            }

            if (request.GenerationId != group.GenerationId)
            {
                return ErrorCode.IllegalGeneration;
            }

            // The member has the current generation but has not synced yet.
            if (group.Is(GroupState.CompletingRebalance))
            {
                return ErrorCode.RebalanceInProgress;
            }

            // Commits during PreparingRebalance are allowed; the heartbeat tells the member to rejoin.
            member.HeartbeatDeadlineMs = Now + member.SessionTimeoutMs;
            return ErrorCode.None;
        }

        // Only members may commit to a group that has members.
        return group.Is(GroupState.Empty) ? ErrorCode.None : ErrorCode.UnknownMemberId;
    }

    private List<PartitionResult> StoreOffsets(ClassicGroup group, IReadOnlyList<OffsetCommitEntry> offsets, GroupActions actions)
    {
        var now = Now;
        var results = new List<PartitionResult>(offsets.Count);
        foreach (var o in offsets)
        {
            var metadata = o.Metadata ?? string.Empty;
            if (Encoding.UTF8.GetByteCount(metadata) > _config.OffsetMetadataMaxBytes)
            {
                results.Add(new PartitionResult(o.Topic, o.Partition, ErrorCode.OffsetMetadataTooLarge));
                continue;
            }

            var committed = new CommittedOffset(o.Offset, o.LeaderEpoch, metadata, now);
            group.Offsets[new TopicPartition(o.Topic, o.Partition)] = committed;
            actions.Record(new GroupRecord(group.Partition,
                CoordinatorRecordCodec.EncodeOffsetCommitKey(group.GroupId, o.Topic, o.Partition),
                CoordinatorRecordCodec.EncodeOffsetCommitValue(committed)));
            results.Add(new PartitionResult(o.Topic, o.Partition, ErrorCode.None));
        }

        return results;
    }

    /// <summary>
    /// Handles OffsetFetch for one group: the requested partitions (offset -1 when none is
    /// committed), or every committed offset when <paramref name="partitions"/> is null.
    /// </summary>
    public OffsetFetchResult FetchOffsets(string groupId, IReadOnlyList<TopicPartition>? partitions)
    {
        var error = CheckGroupId(groupId, requireNonEmpty: false);
        if (error != ErrorCode.None)
        {
            return new OffsetFetchResult(error, []);
        }

        _groups.TryGetValue(groupId, out var group);
        var result = new List<FetchedOffset>();
        if (partitions is null)
        {
            if (group is not null)
            {
                foreach (var (tp, o) in group.Offsets.OrderBy(p => p.Key.Topic, StringComparer.Ordinal).ThenBy(p => p.Key.Partition))
                {
                    result.Add(new FetchedOffset(tp.Topic, tp.Partition, o.Offset, o.LeaderEpoch, o.Metadata, ErrorCode.None));
                }
            }
        }
        else
        {
            foreach (var tp in partitions)
            {
                result.Add(group is not null && group.Offsets.TryGetValue(tp, out var o)
                    ? new FetchedOffset(tp.Topic, tp.Partition, o.Offset, o.LeaderEpoch, o.Metadata, ErrorCode.None)
                    : new FetchedOffset(tp.Topic, tp.Partition, -1, -1, string.Empty, ErrorCode.None));
            }
        }

        return new OffsetFetchResult(ErrorCode.None, result);
    }

    /// <summary>
    /// Handles OffsetDelete. Offsets of topics a non-empty consumer group subscribes to are kept
    /// (GROUP_SUBSCRIBED_TO_TOPIC); non-consumer groups must be empty (NON_EMPTY_GROUP).
    /// </summary>
    public GroupResult<OffsetDeleteResult> DeleteOffsets(string groupId, IReadOnlyList<TopicPartition> partitions)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        var actions = new GroupActions();
        var error = CheckGroupId(groupId, requireNonEmpty: true);
        ClassicGroup? group = null;
        if (error == ErrorCode.None && !TryGetCurrentGroup(groupId, actions, out group))
        {
            error = ErrorCode.GroupIdNotFound;
        }

        if (error != ErrorCode.None || group is null)
        {
            return new GroupResult<OffsetDeleteResult>(new OffsetDeleteResult(error, []), actions);
        }

        var results = new List<PartitionResult>(partitions.Count);
        if (group.Is(GroupState.Empty))
        {
            foreach (var tp in partitions)
            {
                RemoveOffset(group, tp, actions);
                results.Add(new PartitionResult(tp.Topic, tp.Partition, ErrorCode.None));
            }
        }
        else if (group.ProtocolType == ConsumerSubscription.ProtocolType)
        {
            foreach (var tp in partitions)
            {
                if (group.IsSubscribedToTopic(tp.Topic))
                {
                    results.Add(new PartitionResult(tp.Topic, tp.Partition, ErrorCode.GroupSubscribedToTopic));
                }
                else
                {
                    RemoveOffset(group, tp, actions);
                    results.Add(new PartitionResult(tp.Topic, tp.Partition, ErrorCode.None));
                }
            }
        }
        else
        {
            return new GroupResult<OffsetDeleteResult>(new OffsetDeleteResult(ErrorCode.NonEmptyGroup, []), actions);
        }

        return new GroupResult<OffsetDeleteResult>(new OffsetDeleteResult(ErrorCode.None, results), actions);
    }

    private static void RemoveOffset(ClassicGroup group, TopicPartition tp, GroupActions actions)
    {
        if (group.Offsets.Remove(tp))
        {
            actions.Record(new GroupRecord(group.Partition,
                CoordinatorRecordCodec.EncodeOffsetCommitKey(group.GroupId, tp.Topic, tp.Partition), null));
        }
    }

    /// <summary>
    /// Removes offsets past offsets.retention (KIP-211): for empty groups, counted from when the
    /// group became empty; for stable consumer groups, only topics no longer subscribed; for
    /// simple groups, from the commit time. Empty groups left without offsets are deleted.
    /// </summary>
    private void ExpireOffsets(long now, GroupActions actions)
    {
        var retention = _config.OffsetsRetentionMs;
        foreach (var group in _groups.Values.ToList())
        {
            if (!IsLoaded(group.Partition))
            {
                continue;
            }

            Func<TopicPartition, CommittedOffset, bool>? expired = null;
            if (group.ProtocolType is null)
            {
                expired = (_, o) => now - o.CommitTimestamp >= retention;
            }
            else if (group.Is(GroupState.Empty))
            {
                expired = (_, o) => now - (group.CurrentStateTimestamp ?? o.CommitTimestamp) >= retention;
            }
            else if (group.ProtocolType == ConsumerSubscription.ProtocolType && group.SubscribedTopics is { } topics && group.Is(GroupState.Stable))
            {
                expired = (tp, o) => !topics.Contains(tp.Topic) && now - o.CommitTimestamp >= retention;
            }

            if (expired is not null)
            {
                foreach (var (tp, o) in group.Offsets.ToList())
                {
                    if (expired(tp, o))
                    {
                        RemoveOffset(group, tp, actions);
                    }
                }
            }

            if (group.Is(GroupState.Empty) && group.Offsets.Count == 0 && group.PendingMembers.Count == 0)
            {
                RemoveGroup(group, actions);
            }
        }
    }

    private void RemoveGroup(ClassicGroup group, GroupActions actions)
    {
        group.State = GroupState.Dead;
        _groups.Remove(group.GroupId);
        actions.Record(new GroupRecord(group.Partition, CoordinatorRecordCodec.EncodeGroupMetadataKey(group.GroupId), null));
    }

    // ---------------------------------------------------------------- admin

    /// <summary>Handles DeleteGroups: only empty groups; writes tombstones for their offsets and metadata.</summary>
    public GroupResult<IReadOnlyList<DeleteGroupResult>> DeleteGroups(IReadOnlyList<string> groupIds)
    {
        ArgumentNullException.ThrowIfNull(groupIds);
        var actions = new GroupActions();
        var results = new List<DeleteGroupResult>(groupIds.Count);
        foreach (var groupId in groupIds)
        {
            var error = CheckGroupId(groupId, requireNonEmpty: false);
            if (error == ErrorCode.None)
            {
                if (!TryGetCurrentGroup(groupId, actions, out var group))
                {
                    error = ErrorCode.GroupIdNotFound;
                }
                else if (!group.Is(GroupState.Empty))
                {
                    error = ErrorCode.NonEmptyGroup;
                }
                else
                {
                    foreach (var tp in group.Offsets.Keys.ToList())
                    {
                        RemoveOffset(group, tp, actions);
                    }

                    RemoveGroup(group, actions);
                }
            }

            results.Add(new DeleteGroupResult(groupId, error));
        }

        return new GroupResult<IReadOnlyList<DeleteGroupResult>>(results, actions);
    }

    /// <summary>Handles ListGroups, optionally filtered by state (ListGroups v4+); passed deadlines fire first.</summary>
    public GroupResult<ListGroupsResult> ListGroups(IReadOnlyCollection<GroupState>? statesFilter = null)
    {
        var actions = new GroupActions();
        var now = Now;
        foreach (var group in _groups.Values.ToList())
        {
            FireDueTimers(group, now, actions);
        }

        var loading = _partitions.Values.Any(l => l is not null);
        var groups = _groups.Values
            .Where(g => IsLoaded(g.Partition) && (statesFilter is null || statesFilter.Count == 0 || statesFilter.Contains(g.State)))
            .OrderBy(g => g.GroupId, StringComparer.Ordinal)
            .Select(g => new ListedGroup(g.GroupId, g.ProtocolType ?? string.Empty, g.State))
            .ToList();
        return new GroupResult<ListGroupsResult>(
            new ListGroupsResult(loading ? ErrorCode.CoordinatorLoadInProgress : ErrorCode.None, groups), actions);
    }

    /// <summary>Handles DescribeGroups for one group; its passed deadlines fire first.</summary>
    public GroupResult<DescribedGroup> DescribeGroup(string groupId)
    {
        var actions = new GroupActions();
        var error = CheckGroupId(groupId, requireNonEmpty: false);
        if (error != ErrorCode.None)
        {
            return new GroupResult<DescribedGroup>(new DescribedGroup(groupId, error, GroupState.Dead, string.Empty, string.Empty, []), actions);
        }

        if (!TryGetCurrentGroup(groupId, actions, out var group))
        {
            return new GroupResult<DescribedGroup>(new DescribedGroup(groupId, ErrorCode.None, GroupState.Dead, string.Empty, string.Empty, []), actions);
        }

        var stable = group.Is(GroupState.Stable);
        var members = group.Members.Values.Select(m => new DescribedMember(
            m.MemberId, m.GroupInstanceId, m.ClientId, m.ClientHost,
            stable ? m.MetadataFor(group.ProtocolName!) : [],
            stable ? m.Assignment : [])).ToList();
        return new GroupResult<DescribedGroup>(new DescribedGroup(groupId, ErrorCode.None, group.State, group.ProtocolType ?? string.Empty,
            stable ? group.ProtocolName! : string.Empty, members), actions);
    }

    // ---------------------------------------------------------------- persistence

    private GroupRecord GroupMetadataRecord(ClassicGroup group)
    {
        var members = new List<GroupMemberSnapshot>(group.Members.Count);
        foreach (var m in group.Members.Values)
        {
            members.Add(new GroupMemberSnapshot(m.MemberId, m.GroupInstanceId, m.ClientId, m.ClientHost, m.RebalanceTimeoutMs,
                m.SessionTimeoutMs, group.ProtocolName is null ? [] : m.MetadataFor(group.ProtocolName), m.Assignment));
        }

        var snapshot = new GroupMetadataSnapshot(group.ProtocolType ?? string.Empty, group.GenerationId, group.ProtocolName,
            group.LeaderId, group.CurrentStateTimestamp ?? Now, members);
        return new GroupRecord(group.Partition, CoordinatorRecordCodec.EncodeGroupMetadataKey(group.GroupId),
            CoordinatorRecordCodec.EncodeGroupMetadataValue(snapshot));
    }
}
