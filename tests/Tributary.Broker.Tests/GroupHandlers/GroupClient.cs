using Tributary.Protocol;
using Tributary.Protocol.Messages;
using Tributary.Protocol.Primitives;
using Xunit;

namespace Tributary.Broker.Tests.GroupHandlers;

/// <summary>Builds group requests as a consumer would and sends them through a <see cref="GroupBroker"/>.</summary>
public static class GroupClient
{
    public const int SessionMs = 10_000;
    public const int RebalanceMs = 30_000;

    /// <summary>ConsumerProtocolSubscription v0: the subscribed topics, no user data.</summary>
    public static byte[] Subscription(params string[] topics)
    {
        var size = 2 + 4 + topics.Sum(t => 2 + t.Length) + 4;
        var buffer = new byte[size];
        var writer = new KafkaWriter(buffer);
        writer.WriteInt16(0);
        writer.WriteArrayLength(topics.Length);
        foreach (var t in topics)
        {
            writer.WriteString(t);
        }

        writer.WriteNullableBytes(null);
        return buffer;
    }

    public static JoinGroupRequest Join(string group, string memberId = "", string? instanceId = null, int sessionMs = SessionMs) => new()
    {
        GroupId = group,
        SessionTimeoutMs = sessionMs,
        RebalanceTimeoutMs = RebalanceMs,
        MemberId = memberId,
        GroupInstanceId = instanceId,
        ProtocolType = "consumer",
        Protocols = [new JoinGroupRequest.JoinGroupRequestProtocol { Name = "range", Metadata = Subscription(GroupBroker.Topic) }],
    };

    /// <summary>
    /// JoinGroup v5 as a new member: the first attempt gets MEMBER_ID_REQUIRED with an id (KIP-394);
    /// returns the pending second attempt with that id, and the id.
    /// </summary>
    public static async Task<(Task<JoinGroupResponse> Pending, string MemberId)> StartJoinAsync(GroupBroker broker, string group)
    {
        var first = await broker.SendAsync<JoinGroupResponse>(Join(group), 5);
        Assert.Equal((short)ErrorCode.MemberIdRequired, first.ErrorCode);
        Assert.StartsWith("test-client-", first.MemberId, StringComparison.Ordinal);
        return (broker.SendAsync<JoinGroupResponse>(Join(group, first.MemberId), 5), first.MemberId);
    }

    public static Task<SyncGroupResponse> Sync(GroupBroker broker, string group, int generation, string memberId, params (string Member, byte[] Assignment)[] assignments)
    {
        var request = new SyncGroupRequest { GroupId = group, GenerationId = generation, MemberId = memberId };
        foreach (var (member, assignment) in assignments)
        {
            request.Assignments.Add(new SyncGroupRequest.SyncGroupRequestAssignment { MemberId = member, Assignment = assignment });
        }

        return broker.SendAsync<SyncGroupResponse>(request, 5);
    }

    public static async Task<ErrorCode> Heartbeat(GroupBroker broker, string group, int generation, string memberId)
    {
        var response = await broker.SendAsync<HeartbeatResponse>(new HeartbeatRequest { GroupId = group, GenerationId = generation, MemberId = memberId }, 4);
        return (ErrorCode)response.ErrorCode;
    }

    public static OffsetCommitRequest Commit(string group, int generation, string memberId, params (string Topic, int Partition, long Offset, string? Metadata)[] offsets)
    {
        var request = new OffsetCommitRequest { GroupId = group, GenerationIdOrMemberEpoch = generation, MemberId = memberId };
        foreach (var byTopic in offsets.GroupBy(o => o.Topic))
        {
            var topic = new OffsetCommitRequest.OffsetCommitRequestTopic { Name = byTopic.Key };
            foreach (var o in byTopic)
            {
                topic.Partitions.Add(new OffsetCommitRequest.OffsetCommitRequestPartition
                {
                    PartitionIndex = o.Partition,
                    CommittedOffset = o.Offset,
                    CommittedLeaderEpoch = 4,
                    CommittedMetadata = o.Metadata,
                });
            }

            request.Topics.Add(topic);
        }

        return request;
    }

    public static OffsetFetchRequest Fetch(string group, params (string Topic, int[] Partitions)[] topics) => new()
    {
        GroupId = group,
        Topics = topics.Length == 0
            ? null
            : topics.Select(t => new OffsetFetchRequest.OffsetFetchRequestTopic { Name = t.Topic, PartitionIndexes = [.. t.Partitions] }).ToList(),
    };

    /// <summary>Error of every partition in an OffsetCommit response, in response order.</summary>
    public static List<(string Topic, int Partition, ErrorCode Error)> Errors(OffsetCommitResponse response) =>
        response.Topics.SelectMany(t => t.Partitions.Select(p => (t.Name, p.PartitionIndex, (ErrorCode)p.ErrorCode))).ToList();
}
