using Tributary.Client.Cluster;
using Tributary.Protocol;
using Tributary.Protocol.Messages;

namespace Tributary.Client.Consumer;

/// <summary>
/// Membership in a classic consumer group: JoinGroup (with the MEMBER_ID_REQUIRED round trip),
/// the leader's assignment, SyncGroup, background heartbeats that flag a needed rejoin, and
/// LeaveGroup. The consumer drives it from its poll loop.
/// </summary>
internal sealed class ConsumerGroupMember : IAsyncDisposable
{
    private readonly ClusterClient _cluster;
    private readonly ConsumerOptions _options;
    private readonly string _groupId;
    private readonly CancellationTokenSource _stop = new();
    private Task _heartbeat = Task.CompletedTask;
    private volatile GroupAssignment? _current;
    private string _memberId = "";
    private volatile bool _rejoinNeeded = true;

    public ConsumerGroupMember(ClusterClient cluster, ConsumerOptions options, string groupId)
    {
        _cluster = cluster;
        _options = options;
        _groupId = groupId;
    }

    /// <summary>The current generation, or null before the first join and while rejoining.</summary>
    public GroupAssignment? Current => _current;

    public bool RejoinNeeded => _rejoinNeeded || _current is null;

    /// <summary>Forces a rejoin at the next poll (the subscription changed).</summary>
    public void RequestRejoin() => _rejoinNeeded = true;

    /// <summary>Joins (or rejoins) the group and returns the new assignment.</summary>
    public async Task<GroupAssignment> JoinAsync(IReadOnlyCollection<string> topics, CancellationToken cancellationToken)
    {
        _current = null;
        _rejoinNeeded = false;
        var metadata = ConsumerProtocolCodec.EncodeSubscription(topics);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var assignment = await TryJoinOnceAsync(topics, metadata, cancellationToken).ConfigureAwait(false);
                if (assignment is not null)
                {
                    _current = assignment;
                    StartHeartbeats();
                    return assignment;
                }
            }
            catch (KafkaException ex) when (ex.IsRetriable && attempt < _options.Retries * 3)
            {
                if (KafkaErrors.InvalidatesCoordinator(ex.ErrorCode))
                {
                    _cluster.InvalidateCoordinator(CoordinatorType.Group, _groupId);
                }

                await Task.Delay(_cluster.Backoff.Delay(Math.Min(attempt, 4)), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>One JoinGroup + SyncGroup round; null when the group asks to start over.</summary>
    private async Task<GroupAssignment?> TryJoinOnceAsync(IReadOnlyCollection<string> topics, byte[] metadata, CancellationToken cancellationToken)
    {
        var connection = await _cluster.ConnectCoordinatorAsync(CoordinatorType.Group, _groupId, cancellationToken).ConfigureAwait(false);
        var join = await _cluster.SendAsync<JoinGroupResponse>(connection, ApiKey.JoinGroup, 1, 9, _ => new JoinGroupRequest
        {
            GroupId = _groupId,
            SessionTimeoutMs = Milliseconds(_options.SessionTimeout),
            RebalanceTimeoutMs = Milliseconds(_options.RebalanceTimeout),
            MemberId = _memberId,
            ProtocolType = ConsumerProtocolCodec.ProtocolType,
            Protocols = _options.Assignors.Select(a => new JoinGroupRequest.JoinGroupRequestProtocol { Name = a.Name, Metadata = metadata }).ToList(),
        }, cancellationToken, _options.RebalanceTimeout).ConfigureAwait(false);

        switch ((ErrorCode)join.ErrorCode)
        {
            case ErrorCode.None:
                break;
            case ErrorCode.MemberIdRequired:
                _memberId = join.MemberId;
                return null;
            case ErrorCode.UnknownMemberId:
            case ErrorCode.IllegalGeneration:
                _memberId = "";
                return null;
            case ErrorCode.RebalanceInProgress:
                return null;
            default:
                KafkaException.ThrowIfError(join.ErrorCode, null, $"JoinGroup {_groupId}");
                break;
        }

        _memberId = join.MemberId;
        var protocol = join.ProtocolName ?? "";
        var isLeader = join.Leader == join.MemberId;
        var assignments = isLeader ? await AssignAsync(protocol, join.Members, cancellationToken).ConfigureAwait(false) : [];

        var sync = await _cluster.SendAsync<SyncGroupResponse>(connection, ApiKey.SyncGroup, 0, 5, _ => new SyncGroupRequest
        {
            GroupId = _groupId,
            GenerationId = join.GenerationId,
            MemberId = _memberId,
            ProtocolType = ConsumerProtocolCodec.ProtocolType,
            ProtocolName = protocol,
            Assignments = assignments,
        }, cancellationToken, _options.RebalanceTimeout).ConfigureAwait(false);

        switch ((ErrorCode)sync.ErrorCode)
        {
            case ErrorCode.None:
                break;
            case ErrorCode.UnknownMemberId:
            case ErrorCode.IllegalGeneration:
                _memberId = "";
                return null;
            case ErrorCode.RebalanceInProgress:
                return null;
            default:
                KafkaException.ThrowIfError(sync.ErrorCode, null, $"SyncGroup {_groupId}");
                break;
        }

        var partitions = ConsumerProtocolCodec.DecodeAssignment(sync.Assignment)
            .Where(p => topics.Contains(p.Topic, StringComparer.Ordinal)).ToList();
        return new GroupAssignment(join.GenerationId, _memberId, isLeader, protocol, partitions);
    }

    /// <summary>The leader's job: run the chosen assignor over every member's subscription.</summary>
    private async Task<List<SyncGroupRequest.SyncGroupRequestAssignment>> AssignAsync(string protocol, List<JoinGroupResponse.JoinGroupResponseMember> members,
        CancellationToken cancellationToken)
    {
        var assignor = _options.Assignors.FirstOrDefault(a => a.Name == protocol)
            ?? throw new KafkaException(ErrorCode.InconsistentGroupProtocol, $"the group chose assignor {protocol}, which this consumer does not have");
        var subscriptions = members.ToDictionary(m => m.MemberId,
            m => (IReadOnlyList<string>)ConsumerProtocolCodec.DecodeSubscription(m.Metadata).Topics, StringComparer.Ordinal);
        var topics = subscriptions.Values.SelectMany(t => t).Distinct(StringComparer.Ordinal).ToList();
        var cluster = await _cluster.RefreshMetadataAsync(topics, false, cancellationToken).ConfigureAwait(false);
        var counts = topics.Where(t => cluster.Topics.TryGetValue(t, out var m) && m.Error == ErrorCode.None)
            .ToDictionary(t => t, t => cluster.Topics[t].Partitions.Count, StringComparer.Ordinal);
        var result = assignor.Assign(subscriptions, counts);
        return members.Select(m => new SyncGroupRequest.SyncGroupRequestAssignment
        {
            MemberId = m.MemberId,
            Assignment = ConsumerProtocolCodec.EncodeAssignment(result.TryGetValue(m.MemberId, out var parts) ? parts : []),
        }).ToList();
    }

    private void StartHeartbeats()
    {
        if (_heartbeat.IsCompleted)
        {
            _heartbeat = Task.Run(() => HeartbeatLoopAsync(_stop.Token));
        }
    }

    private async Task HeartbeatLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_options.HeartbeatInterval, cancellationToken).ConfigureAwait(false);
                var current = _current;
                if (current is null || _rejoinNeeded)
                {
                    continue;
                }

                var connection = await _cluster.ConnectCoordinatorAsync(CoordinatorType.Group, _groupId, cancellationToken).ConfigureAwait(false);
                var response = await _cluster.SendAsync<HeartbeatResponse>(connection, ApiKey.Heartbeat, 0, 4, _ => new HeartbeatRequest
                {
                    GroupId = _groupId,
                    GenerationId = current.GenerationId,
                    MemberId = current.MemberId,
                }, cancellationToken).ConfigureAwait(false);
                switch ((ErrorCode)response.ErrorCode)
                {
                    case ErrorCode.None:
                        break;
                    case ErrorCode.RebalanceInProgress:
                    case ErrorCode.IllegalGeneration:
                        _rejoinNeeded = true;
                        break;
                    case ErrorCode.UnknownMemberId:
                        _memberId = "";
                        _rejoinNeeded = true;
                        break;
                    case ErrorCode.NotCoordinator:
                    case ErrorCode.CoordinatorNotAvailable:
                        _cluster.InvalidateCoordinator(CoordinatorType.Group, _groupId);
                        break;
                    default:
                        break;
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (KafkaException ex)
            {
                if (KafkaErrors.InvalidatesCoordinator(ex.ErrorCode))
                {
                    _cluster.InvalidateCoordinator(CoordinatorType.Group, _groupId);
                }
            }
        }
    }

    /// <summary>Leaves the group so it rebalances at once instead of waiting for the session timeout.</summary>
    public async Task LeaveAsync(CancellationToken cancellationToken)
    {
        var memberId = _memberId;
        _current = null;
        if (memberId.Length == 0)
        {
            return;
        }

        try
        {
            var connection = await _cluster.ConnectCoordinatorAsync(CoordinatorType.Group, _groupId, cancellationToken).ConfigureAwait(false);
            await _cluster.SendAsync<LeaveGroupResponse>(connection, ApiKey.LeaveGroup, 0, 5, version => version >= 3
                ? new LeaveGroupRequest { GroupId = _groupId, Members = [new LeaveGroupRequest.MemberIdentity { MemberId = memberId }] }
                : new LeaveGroupRequest { GroupId = _groupId, MemberId = memberId }, cancellationToken).ConfigureAwait(false);
        }
        catch (KafkaException)
        {
            // Best effort: the session timeout removes the member anyway.
        }

        _memberId = "";
    }

    private static int Milliseconds(TimeSpan value) => (int)Math.Min(int.MaxValue, value.TotalMilliseconds);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _heartbeat.ConfigureAwait(false);
        _stop.Dispose();
    }
}
