using Tributary.Broker.Groups;
using Tributary.Protocol.Primitives;
using Tributary.Protocol;
using Xunit;

namespace Tributary.Broker.Tests.Groups;

/// <summary>A coordinator owning every partition, with a manual clock and predictable member ids.</summary>
public sealed class GroupFixture
{
    public const string Group = "my-group";
    public const int SessionMs = 10_000;
    public const int RebalanceMs = 30_000;
    public const int InitialDelayMs = 3_000;

    private int _guids;
    private long _nextToken = 1;

    public GroupFixture(GroupCoordinatorConfig? config = null, bool load = true)
    {
        Config = config ?? new GroupCoordinatorConfig { OffsetsTopicPartitions = 1, InitialRebalanceDelayMs = InitialDelayMs };
        Coordinator = new GroupCoordinator(Config, Clock, () => new Guid(++_guids, 0, 0, new byte[8]));
        if (load)
        {
            for (var p = 0; p < Config.OffsetsTopicPartitions; p++)
            {
                Coordinator.BeginLoad(p);
                Coordinator.CompleteLoad(p);
            }
        }
    }

    public GroupCoordinatorConfig Config { get; }

    public ManualClock Clock { get; } = new();

    public GroupCoordinator Coordinator { get; }

    /// <summary>Every record the coordinator asked to append, in order.</summary>
    public List<GroupRecord> Log { get; } = [];

    public long NextToken() => _nextToken++;

    public GroupActions Track(GroupActions actions)
    {
        Log.AddRange(actions.Records);
        return actions;
    }

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

    public static IReadOnlyList<GroupProtocol> Range(params string[] topics) => [new GroupProtocol("range", Subscription(topics.Length == 0 ? ["t"] : topics))];

    public static JoinGroupRequest JoinRequest(
        string memberId = "",
        string clientId = "client",
        string? instanceId = null,
        IReadOnlyList<GroupProtocol>? protocols = null,
        string protocolType = "consumer",
        int sessionMs = SessionMs,
        int rebalanceMs = RebalanceMs,
        bool requireKnownMemberId = false,
        string group = Group) =>
        new(group, sessionMs, rebalanceMs, memberId, instanceId, protocolType, protocols ?? Range(), clientId, "/127.0.0.1", requireKnownMemberId);

    public GroupActions Join(long token, JoinGroupRequest request) => Track(Coordinator.JoinGroup(token, request));

    public GroupActions Sync(long token, string memberId, int generation, IReadOnlyDictionary<string, byte[]>? assignments = null, string? instanceId = null, string? protocolName = null) =>
        Track(Coordinator.SyncGroup(token, new SyncGroupRequest(Group, generation, memberId, instanceId, null, protocolName,
            assignments ?? new Dictionary<string, byte[]>())));

    public ErrorCode Heartbeat(string memberId, int generation, string? instanceId = null)
    {
        var result = Coordinator.Heartbeat(new HeartbeatRequest(Group, generation, memberId, instanceId));
        Track(result.Actions);
        return result.Response;
    }

    public GroupActions Tick(long advanceMs)
    {
        Clock.Advance(advanceMs);
        return Track(Coordinator.OnTick());
    }

    /// <summary>
    /// Joins <paramref name="clientIds"/> as new dynamic members (v4 flow with MEMBER_ID_REQUIRED),
    /// lets the initial delay pass, and syncs with assignment "a-{member}". Returns member ids, leader first.
    /// </summary>
    public (List<string> Members, int Generation) StableGroup(params string[] clientIds)
    {
        var tokens = new Dictionary<long, string>();
        foreach (var clientId in clientIds)
        {
            var first = Join(NextToken(), JoinRequest(clientId: clientId, requireKnownMemberId: true));
            var memberId = Assert.Single(first.Joins).Result.MemberId;
            var token = NextToken();
            tokens[token] = memberId;
            Assert.Empty(Join(token, JoinRequest(memberId, clientId, requireKnownMemberId: true)).Joins);
        }

        var joins = new List<JoinCompletion>();
        for (var i = 0; i < 20 && joins.Count == 0; i++)
        {
            joins.AddRange(Tick(InitialDelayMs).Joins);
        }

        Assert.Equal(clientIds.Length, joins.Count);
        var leader = joins[0].Result.LeaderId;
        var generation = joins[0].Result.GenerationId;
        var members = joins.Select(j => j.Result.MemberId).OrderBy(m => m == leader ? 0 : 1).ToList();
        var assignments = members.ToDictionary(m => m, m => System.Text.Encoding.UTF8.GetBytes("a-" + m));
        var syncs = Sync(NextToken(), leader, generation, assignments).Syncs;
        Assert.Single(syncs);
        foreach (var follower in members.Skip(1))
        {
            Assert.Equal(ErrorCode.None, Assert.Single(Sync(NextToken(), follower, generation).Syncs).Result.Error);
        }

        Assert.Equal(GroupState.Stable, Coordinator.DescribeGroup(Group).Response.State);
        return (members, generation);
    }
}
