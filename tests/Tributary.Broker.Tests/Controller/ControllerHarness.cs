using Tributary.Broker.Config;
using Tributary.Broker.Metadata;
using Tributary.Broker.Metadata.Controller;
using Tributary.Broker.Topics;
using Tributary.Protocol;
using Tributary.Protocol.Messages;
using Xunit;

namespace Tributary.Broker.Tests.Controller;

/// <summary>A cluster-mode controller over an in-memory quorum and a manual clock, with broker-side helpers.</summary>
internal sealed class ControllerHarness : IDisposable
{
    public const string ClusterId = "controller-test-cluster";

    private readonly Dictionary<int, Guid> _incarnations = [];

    public ControllerHarness(params (string Key, string Value)[] extra)
    {
        var props = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["node.id"] = "100",
            ["process.roles"] = "controller",
            ["listeners"] = "CONTROLLER://127.0.0.1:19093",
            ["controller.listener.names"] = "CONTROLLER",
            ["controller.quorum.voters"] = "100@127.0.0.1:19093",
            ["log.dirs"] = Path.Combine(Path.GetTempPath(), "tributary-controller-unused"),
            ["broker.session.timeout.ms"] = "9000",
        };
        foreach (var (k, v) in extra)
        {
            props[k] = v;
        }

        Config = BrokerConfig.Parse(props, new Dictionary<string, string>());
        Quorum = new FakeQuorum(100);
        Store = new InMemoryCommitter(ClusterId, Quorum);
        Clock = new ControllerClock();
        Controller = new QuorumController(Config, Store, new TopicConfigResolver(Config), random: new Random(11), quorum: Quorum, time: Clock);
    }

    public BrokerConfig Config { get; }

    public FakeQuorum Quorum { get; }

    public InMemoryCommitter Store { get; }

    public ControllerClock Clock { get; }

    public QuorumController Controller { get; }

    public MetadataImage Image => Store.Current;

    /// <summary>Activates the controller (as the quorum would) and waits for the bootstrap commit.</summary>
    public async Task ActivateAsync()
    {
        await Controller.StartAsync(CancellationToken.None);
        Quorum.SetActive(true);
        for (var i = 0; i < 200 && !Image.Features.ContainsKey("metadata.version"); i++)
        {
            await Task.Delay(5);
        }

        Assert.True(Image.Features.ContainsKey("metadata.version"));
    }

    public static BrokerRegistrationRequest Registration(int id, Guid incarnation, string? rack = null, string clusterId = ClusterId) => new()
    {
        BrokerId = id,
        ClusterId = clusterId,
        IncarnationId = incarnation,
        Rack = rack,
        Listeners = [new BrokerRegistrationRequest.Listener { Name = "PLAINTEXT", Host = "127.0.0.1", Port = (ushort)(9090 + id), SecurityProtocol = 0 }],
        Features = [new BrokerRegistrationRequest.Feature { Name = "metadata.version", MinSupportedVersion = 1, MaxSupportedVersion = QuorumController.MetadataVersionLevel }],
    };

    /// <summary>Registers a broker with a new incarnation; returns its epoch.</summary>
    public async Task<long> RegisterAsync(int id, string? rack = null)
    {
        _incarnations[id] = Guid.NewGuid();
        var response = await Controller.RegisterBrokerAsync(Registration(id, _incarnations[id], rack), CancellationToken.None);
        Assert.Equal(ErrorCode.None, (ErrorCode)response.ErrorCode);
        return response.BrokerEpoch;
    }

    public Task<BrokerHeartbeatResponse> HeartbeatAsync(int id, bool wantShutDown = false, bool wantFence = false, long? offset = null) =>
        Controller.HeartbeatAsync(new BrokerHeartbeatRequest
        {
            BrokerId = id,
            BrokerEpoch = Image.Brokers[id].Epoch,
            CurrentMetadataOffset = offset ?? Image.Offset,
            WantShutDown = wantShutDown,
            WantFence = wantFence,
        }, CancellationToken.None).AsTask();

    /// <summary>Registers and unfences brokers (each heartbeats once caught up).</summary>
    public async Task StartBrokersAsync(params int[] ids)
    {
        foreach (var id in ids)
        {
            await RegisterAsync(id, "rack-" + id);
        }

        foreach (var id in ids)
        {
            var response = await HeartbeatAsync(id);
            Assert.False(response.IsFenced);
        }
    }

    /// <summary>Creates a topic with manual assignments (one replica list per partition).</summary>
    public async Task<TopicImage> CreateTopicAsync(string name, params int[][] assignments)
    {
        var request = new CreateTopicsRequest();
        request.Topics.Add(new CreateTopicsRequest.CreatableTopic
        {
            Name = name,
            NumPartitions = -1,
            ReplicationFactor = -1,
            Assignments = [.. assignments.Select((a, i) => new CreateTopicsRequest.CreatableReplicaAssignment { PartitionIndex = i, BrokerIds = [.. a] })],
        });
        var response = await Controller.CreateTopicsAsync(request, CancellationToken.None);
        Assert.Equal(ErrorCode.None, (ErrorCode)response.Topics[0].ErrorCode);
        return Image.Topic(name)!;
    }

    public PartitionImage Partition(string topic, int partition) => Image.Partition(topic, partition)!;

    /// <summary>Every broker but <paramref name="silent"/> heartbeats, then the clock passes the session timeout.</summary>
    public async Task ExpireAsync(int silent, params int[] alive)
    {
        Clock.Advance(TimeSpan.FromMilliseconds(Config.BrokerSessionTimeoutMs / 2));
        foreach (var id in alive)
        {
            await HeartbeatAsync(id);
        }

        Clock.Advance(TimeSpan.FromMilliseconds((Config.BrokerSessionTimeoutMs / 2) + 10));
        foreach (var id in alive)
        {
            await HeartbeatAsync(id);
        }

        Assert.Equal(1, await Controller.FenceExpiredBrokersAsync(CancellationToken.None));
        Assert.True(Image.Brokers[silent].Fenced);
    }

    public void Dispose() => Controller.Dispose();
}
