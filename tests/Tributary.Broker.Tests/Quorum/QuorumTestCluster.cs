using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Tributary.Broker.Config;
using Tributary.Broker.Metadata;
using Tributary.Protocol.Messages;
using Tributary.Protocol.Metadata;
using Xunit;

namespace Tributary.Broker.Tests.Quorum;

/// <summary>
/// A loopback metadata quorum for tests: voters 1..n (controllers) and optional broker-only
/// observers after them, each on its own directory and a port fixed for the cluster's life (so a
/// restarted node is found where it was). Short Raft timeouts keep elections well under a second.
/// </summary>
internal sealed class QuorumTestCluster : IAsyncDisposable
{
    public const string ClusterId = "qrm-test-cluster-0001A";
    private readonly string _root = Directory.CreateTempSubdirectory("tributary-quorum-").FullName;
    private readonly Dictionary<int, int> _ports = [];
    private readonly Dictionary<int, BrokerConfig> _configs = [];
    private int _topicCount;

    private QuorumTestCluster(int voters, int observers, long snapshotBytes)
    {
        // Probes stay bound until all are chosen, so no two nodes get the same port.
        var probes = new List<Socket>();
        for (var id = 1; id <= voters + observers; id++)
        {
            var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            probes.Add(probe);
            _ports[id] = ((IPEndPoint)probe.LocalEndPoint!).Port;
        }

        probes.ForEach(p => p.Dispose());

        var voterList = string.Join(',', Enumerable.Range(1, voters).Select(id => $"{id}@127.0.0.1:{_ports[id]}"));
        for (var id = 1; id <= voters + observers; id++)
        {
            var controller = id <= voters;
            var props = new Dictionary<string, string>
            {
                ["node.id"] = id.ToString(CultureInfo.InvariantCulture),
                ["process.roles"] = controller ? "controller" : "broker",
                ["controller.listener.names"] = "CONTROLLER",
                ["listeners"] = controller ? $"CONTROLLER://127.0.0.1:{_ports[id]}" : $"PLAINTEXT://127.0.0.1:{_ports[id]}",
                ["controller.quorum.voters"] = voterList,
                ["cluster.id"] = ClusterId,
                ["log.dirs"] = Path.Combine(_root, $"node-{id}"),
                ["controller.quorum.election.timeout.ms"] = "300",
                ["controller.quorum.fetch.timeout.ms"] = "1000",
                ["controller.quorum.request.timeout.ms"] = "500",
                ["metadata.log.max.record.bytes.between.snapshots"] = snapshotBytes.ToString(CultureInfo.InvariantCulture),
            };
            _configs[id] = BrokerConfig.Parse(props, new Dictionary<string, string>());
        }

        VoterIds = Enumerable.Range(1, voters).ToArray();
    }

    public IReadOnlyList<int> VoterIds { get; }

    public Dictionary<int, QuorumTestNode> Nodes { get; } = [];

    public static QuorumTestCluster Start(int voters = 3, int observers = 0, long snapshotBytes = 1L << 30)
    {
        var cluster = new QuorumTestCluster(voters, observers, snapshotBytes);
        foreach (var id in cluster._configs.Keys)
        {
            cluster.Nodes[id] = QuorumTestNode.Start(id, cluster._configs[id]);
        }

        return cluster;
    }

    public IEnumerable<QuorumTestNode> Running => Nodes.Values.Where(n => n.Running);

    /// <summary>Waits until exactly one running node is the active controller and every running voter knows it.</summary>
    public async Task<QuorumTestNode> WaitForActiveAsync()
    {
        QuorumTestNode? active = null;
        await WaitUntilAsync(() =>
        {
            var actives = Running.Where(n => n.Store.IsActiveController).ToList();
            active = actives.Count == 1 ? actives[0] : null;
            return active is not null && Running.All(n => n.Store.LeaderId == active.Id && n.Store.LeaderEpoch == active.Store.LeaderEpoch);
        }, "an active controller known to every running node");
        return active!;
    }

    /// <summary>Waits until every running node applied the same committed image as <paramref name="reference"/>.</summary>
    public Task WaitForConvergenceAsync(QuorumTestNode reference) =>
        WaitUntilAsync(() => Running.All(n => n.Store.Current.Offset == reference.Store.Current.Offset
            && ImageJson.SameContent(n.Store.Current, reference.Store.Current)), "all running nodes at the same image");

    /// <summary>
    /// Commits a new topic with one partition through <paramref name="node"/>; returns its name. If
    /// leadership moved meanwhile (a loaded test machine can miss a fetch timeout), it retries once on
    /// the new active controller, as a controller client would.
    /// </summary>
    public async Task<string> CommitTopicAsync(QuorumTestNode node)
    {
        var name = $"topic-{Interlocked.Increment(ref _topicCount)}";
        var id = Guid.NewGuid();
        IMetadataRecord[] records =
        [
            new TopicRecord { Name = name, TopicId = id },
            new PartitionRecord { TopicId = id, PartitionId = 0, Replicas = [1, 2, 3], Isr = [1, 2, 3], Leader = 1, LeaderEpoch = 0, PartitionEpoch = 0 },
        ];
        MetadataImage image;
        try
        {
            image = await node.Store.CommitAsync(records, CancellationToken.None);
        }
        catch (NotControllerException)
        {
            var active = await WaitForActiveAsync();
            image = active.Store.Current.Topic(name) is not null ? active.Store.Current : await active.Store.CommitAsync(records, CancellationToken.None);
        }

        Assert.NotNull(image.Topic(name));
        return name;
    }

    public static async Task WaitUntilAsync(Func<bool> condition, string what, int timeoutMs = 15_000)
    {
        var deadline = Environment.TickCount64 + timeoutMs;
        while (!condition())
        {
            if (Environment.TickCount64 > deadline)
            {
                Assert.Fail($"timed out waiting for {what}");
            }

            await Task.Delay(10);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes.Values)
        {
            await node.DisposeAsync();
        }

        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
