using System.Collections.Immutable;
using Tributary.Broker.Metadata;
using Tributary.Client;
using Tributary.Client.Network;
using Tributary.Protocol;
using Tributary.Protocol.Messages;
using Tributary.Broker.Tests.Data;
using MetadataEndpoint = Tributary.Broker.Metadata.BrokerEndpoint;

namespace Tributary.Broker.Tests.Replication;

/// <summary>
/// Several in-process brokers on loopback sharing one hand-driven metadata image: the test
/// creates topics, moves leadership, kills and restarts nodes; ISR changes come back through the
/// fake controller. Every image change is published to every running node.
/// </summary>
internal sealed class ReplicaCluster : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<int, ReplicaNode> _nodes = [];
    private readonly Dictionary<int, string> _directories = [];
    private readonly long _lagMs;
    private readonly string _root = Path.Combine(Path.GetTempPath(), "tributary-repl-" + Guid.NewGuid().ToString("N"));
    private MetadataImage _image = MetadataImage.Empty("repl-test");
    private long _brokerEpoch = 100;

    private ReplicaCluster(long lagMs)
    {
        _lagMs = lagMs;
        Controller = new FakeControllerChannel(this);
    }

    public FakeControllerChannel Controller { get; }

    public MetadataImage Image
    {
        get
        {
            lock (_lock)
            {
                return _image;
            }
        }
    }

    public ReplicaNode this[int nodeId] => _nodes[nodeId];

    public static async Task<ReplicaCluster> StartAsync(int brokers, long lagMs = 30_000)
    {
        var cluster = new ReplicaCluster(lagMs);
        for (var id = 1; id <= brokers; id++)
        {
            cluster.StartNode(id);
        }

        await Task.CompletedTask;
        return cluster;
    }

    /// <summary>Starts (or restarts, over its old log dir) node <paramref name="id"/> and registers its endpoint.</summary>
    public ReplicaNode StartNode(int id, bool wipe = false)
    {
        var directory = _directories.TryGetValue(id, out var existing) ? existing : Path.Combine(_root, $"node-{id}");
        _directories[id] = directory;
        if (wipe && Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        var node = ReplicaNode.Start(id, directory, Image, Controller, _lagMs);
        lock (_lock)
        {
            _nodes[id] = node;
        }

        Update(image => image with
        {
            Brokers = image.Brokers.SetItem(id, new BrokerImage(id, null, [new MetadataEndpoint("PLAINTEXT", "127.0.0.1", node.Port, "PLAINTEXT")], false, ++_brokerEpoch)),
        });
        return node;
    }

    /// <summary>Stops a node (its broker registration stays, like a crashed broker before the session timeout).</summary>
    public async Task StopNodeAsync(int id)
    {
        ReplicaNode node;
        lock (_lock)
        {
            node = _nodes[id];
            _nodes.Remove(id);
        }

        await node.DisposeAsync();
    }

    public Guid CreateTopic(string name, int leader, IReadOnlyList<int> replicas, IReadOnlyList<int>? isr = null, IReadOnlyDictionary<string, string>? configs = null)
    {
        var id = Guid.NewGuid();
        var partition = new PartitionImage(0, leader, 0, 0, replicas, isr ?? replicas);
        Update(image => image with
        {
            Topics = image.Topics.SetItem(name, new TopicImage(name, id, new Dictionary<int, PartitionImage> { [0] = partition }, configs ?? new Dictionary<string, string>())),
            TopicNamesById = image.TopicNamesById.SetItem(id, name),
        });
        return id;
    }

    public PartitionImage PartitionImage(string topic) => Image.Partition(topic, 0)!;

    /// <summary>Elects <paramref name="leader"/> (next leader epoch), optionally with a new ISR.</summary>
    public void ElectLeader(string topic, int leader, IReadOnlyList<int>? isr = null) =>
        UpdatePartition(topic, p => p with { Leader = leader, LeaderEpoch = p.LeaderEpoch + 1, PartitionEpoch = p.PartitionEpoch + 1, Isr = isr ?? p.Isr });

    public void SetBrokerConfig(string key, string value) =>
        Update(image => image with { Offset = image.Offset + 1, BrokerConfigs = image.BrokerConfigs.SetItem(key, value) });

    public void UpdatePartition(string topic, Func<PartitionImage, PartitionImage> change) => Update(image =>
    {
        var t = image.Topic(topic)!;
        var partitions = new Dictionary<int, PartitionImage>(t.Partitions) { [0] = change(t.Partitions[0]) };
        return image with { Topics = image.Topics.SetItem(topic, t with { Partitions = partitions }) };
    });

    /// <summary>The fake controller's AlterPartition: KRaft's checks, then commit with the next partition epoch.</summary>
    public AlterPartitionResponse.PartitionData ApplyAlterPartition(int brokerId, Guid topicId, AlterPartitionRequest.PartitionData request)
    {
        lock (_lock)
        {
            var name = _image.TopicNamesById.GetValueOrDefault(topicId);
            var current = name is null ? null : _image.Partition(name, request.PartitionIndex);
            var answer = new AlterPartitionResponse.PartitionData { PartitionIndex = request.PartitionIndex };
            if (current is null)
            {
                answer.ErrorCode = (short)ErrorCode.UnknownTopicOrPartition;
            }
            else if (current.Leader != brokerId || request.LeaderEpoch != current.LeaderEpoch)
            {
                answer.ErrorCode = (short)ErrorCode.FencedLeaderEpoch;
            }
            else if (request.PartitionEpoch != current.PartitionEpoch)
            {
                answer.ErrorCode = (short)ErrorCode.InvalidUpdateVersion;
            }
            else
            {
                var isr = request.NewIsrWithEpochs.Select(b => b.BrokerId).ToList();
                var updated = current with { Isr = isr, PartitionEpoch = current.PartitionEpoch + 1 };
                UpdatePartitionLocked(name!, updated);
                answer.LeaderId = updated.Leader;
                answer.LeaderEpoch = updated.LeaderEpoch;
                answer.PartitionEpoch = updated.PartitionEpoch;
                answer.Isr = [.. isr];
            }

            return answer;
        }
    }

    /// <summary>A connection to a node's listener (the caller disposes it).</summary>
    public async Task<KafkaConnection> ConnectAsync(int nodeId) =>
        await KafkaConnection.ConnectAsync(new Client.Network.BrokerEndpoint("127.0.0.1", _nodes[nodeId].Port), new ClientOptions { ClientId = "repl-test" }, CancellationToken.None);

    public static async Task<ProduceResponse.PartitionProduceResponse> ProduceAsync(KafkaConnection connection, string topic, byte[] batch, short acks, int timeoutMs = 10_000)
    {
        var version = connection.Versions.Select(ApiKey.Produce, 3, 11);
        var response = (ProduceResponse)await connection.SendAsync(Wire.Produce(topic, 0, batch, acks, timeoutMs), version, TimeSpan.FromSeconds(30), CancellationToken.None);
        return response.Single();
    }

    public async Task<ProduceResponse.PartitionProduceResponse> ProduceAsync(int nodeId, string topic, byte[] batch, short acks = -1, int timeoutMs = 10_000)
    {
        await using var connection = await ConnectAsync(nodeId);
        return await ProduceAsync(connection, topic, batch, acks, timeoutMs);
    }

    /// <summary>Waits until the leader has seen the follower fetch (so lag timers start from a live follower).</summary>
    /// <remarks>
    /// On a cold, busy test host the first fetch may come later than a short lag limit, so the
    /// leader may already have dropped the follower: then wait for it to be back in the ISR too.
    /// </remarks>
    public Task WaitForFollowerAsync(string topic, int leader, int follower) =>
        WaitUntilAsync(() => this[leader].Partition(topic) is { } p && p.FollowerLogEndOffset(follower) >= 0 && !p.IsrChangeInFlight &&
            p.Leadership.Isr.Contains(follower) && PartitionImage(topic).Isr.Contains(follower), $"broker {follower} fetches {topic} from broker {leader} in sync");

    public static async Task WaitUntilAsync(Func<bool> condition, string what, int timeoutMs = 15_000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out waiting for: {what}");
            }

            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        List<ReplicaNode> nodes;
        lock (_lock)
        {
            nodes = [.. _nodes.Values];
            _nodes.Clear();
        }

        foreach (var node in nodes)
        {
            await node.DisposeAsync();
        }

        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private void Update(Func<MetadataImage, MetadataImage> change)
    {
        lock (_lock)
        {
            PublishLocked(change(_image));
        }
    }

    private void UpdatePartitionLocked(string topic, PartitionImage updated)
    {
        var t = _image.Topic(topic)!;
        var partitions = new Dictionary<int, PartitionImage>(t.Partitions) { [updated.Partition] = updated };
        PublishLocked(_image with { Topics = _image.Topics.SetItem(topic, t with { Partitions = partitions }) });
    }

    /// <summary>Publishes to every running node, in the lock so all nodes see images in the same order.</summary>
    private void PublishLocked(MetadataImage next)
    {
        _image = next with { Offset = next.Offset + 1 };
        foreach (var node in _nodes.Values)
        {
            node.View.Publish(_image);
        }
    }
}
