using System.Globalization;
using System.Text;

namespace Tributary.Server;

/// <summary>
/// The pure part of <c>tributary dev</c>: which nodes exist, their ports and racks, and each node's
/// <c>server.properties</c>. Brokers have ids 1..N; node i (0-based index) listens on base+i (PLAINTEXT,
/// brokers only), base+100+i (CONTROLLER, controllers only) and base+200+i (metrics). Either the first
/// <see cref="DevOptions.Controllers"/> brokers run in combined mode, or
/// <see cref="DevOptions.DedicatedControllers"/> controller-only nodes (ids N+1..N+K, no client
/// listener, no rack) form the quorum and every broker is broker-only. Replication defaults follow
/// the broker count: RF = min(3, N), min.insync.replicas = min(2, N). <see cref="DevOptions.Overrides"/>
/// replace defaults in place or are appended, identically on every node.
/// </summary>
public sealed class DevClusterLayout
{
    private DevClusterLayout(DevOptions options, string clusterId, IReadOnlyList<DevNode> nodes)
    {
        Options = options;
        ClusterId = clusterId;
        Nodes = nodes;
    }

    public DevOptions Options { get; }

    public string ClusterId { get; }

    public IReadOnlyList<DevNode> Nodes { get; }

    /// <summary>Every broker's PLAINTEXT address, comma-separated, for clients (dedicated controllers serve no clients).</summary>
    public string BootstrapServers => string.Join(',', Brokers.Select(n => n.BootstrapAddress));

    /// <summary>The nodes that serve clients and host partitions.</summary>
    public IEnumerable<DevNode> Brokers => Nodes.Where(n => n.IsBroker);

    /// <summary>The metadata quorum's voters.</summary>
    public IEnumerable<DevNode> Controllers => Nodes.Where(n => n.IsController);

    /// <summary><c>controller.quorum.voters</c> for every node.</summary>
    public string QuorumVoters => string.Join(',', Controllers.Select(n => $"{n.Id}@127.0.0.1:{n.ControllerPort}"));

    public short ReplicationFactor => (short)Math.Min(3, Options.Brokers);

    public int MinInsyncReplicas => Math.Min(2, Options.Brokers);

    /// <summary>One status line naming the quorum: which nodes are controllers and in which mode.</summary>
    public string QuorumSummary =>
        $"controllers: {string.Join(',', Controllers.Select(n => n.Id))} "
        + (Options.DedicatedControllers > 0 ? "(dedicated, controller only)" : "(combined, broker and controller)")
        + $"; brokers: {string.Join(',', Brokers.Select(n => n.Id))}; controller.quorum.voters={QuorumVoters}";

    public static DevClusterLayout Create(DevOptions options, string clusterId)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(clusterId);
        var nodes = new DevNode[options.TotalNodes];
        for (var i = 0; i < nodes.Length; i++)
        {
            var id = i + 1;
            var broker = i < options.Brokers;
            var controller = !broker || i < options.Controllers;
            nodes[i] = new DevNode(
                id,
                // broker.rack places replicas; a dedicated controller hosts none, so it has no rack.
                broker && options.Zones.Count > 0 ? options.Zones[i % options.Zones.Count] : null,
                controller,
                broker ? options.BasePort + i : null,
                controller ? options.BasePort + DevOptions.ControllerPortOffset + i : null,
                options.BasePort + DevOptions.MetricsPortOffset + i,
                Path.Combine(options.DataDir, string.Create(CultureInfo.InvariantCulture, $"node-{id}")));
        }

        return new DevClusterLayout(options, clusterId, nodes);
    }

    /// <summary>The node's configuration as ordered key/value pairs (what <see cref="Render"/> writes).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Properties(DevNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var listeners = string.Join(',', new[]
        {
            node.IsBroker ? $"PLAINTEXT://127.0.0.1:{node.Port}" : null,
            node.IsController ? $"CONTROLLER://127.0.0.1:{node.ControllerPort}" : null,
        }.OfType<string>());
        var rf = ReplicationFactor.ToString(CultureInfo.InvariantCulture);
        var minIsr = MinInsyncReplicas.ToString(CultureInfo.InvariantCulture);
        var props = new List<KeyValuePair<string, string>>
        {
            new("node.id", node.Id.ToString(CultureInfo.InvariantCulture)),
            new("process.roles", node.Roles),
            new("cluster.id", ClusterId),
        };
        if (node.Rack is not null)
        {
            props.Add(new("broker.rack", node.Rack));
        }

        props.Add(new("listeners", listeners));
        if (node.IsBroker)
        {
            // A dedicated controller advertises nothing to clients and talks to no broker's
            // PLAINTEXT listener, so it gets neither key (as in Kafka's controller.properties).
            props.Add(new("advertised.listeners", $"PLAINTEXT://127.0.0.1:{node.Port}"));
        }

        props.Add(new("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"));
        if (node.IsBroker)
        {
            props.Add(new("inter.broker.listener.name", "PLAINTEXT"));
        }

        props.AddRange(
        [
            new("controller.listener.names", "CONTROLLER"),
            new("controller.quorum.voters", QuorumVoters),
            new("log.dirs", node.LogDirs),
            new("num.partitions", "3"),
            new("default.replication.factor", rf),
            new("min.insync.replicas", minIsr),
            new("offsets.topic.replication.factor", rf),
            new("transaction.state.log.replication.factor", rf),
            new("transaction.state.log.min.isr", minIsr),
            new("group.initial.rebalance.delay.ms", "0"),
            // Shorter than Kafka's defaults: a laptop cluster should notice a dead node in seconds.
            new("broker.heartbeat.interval.ms", "500"),
            new("broker.session.timeout.ms", "3000"),
            new("controller.quorum.election.timeout.ms", "1000"),
            new("controller.quorum.fetch.timeout.ms", "2000"),
            new("replica.lag.time.max.ms", "10000"),
            new("tributary.metrics.listener", $"127.0.0.1:{node.MetricsPort}"),
            new("tributary.shutdown.timeout.ms", "10000"),
        ]);
        foreach (var (key, value) in Options.Overrides)
        {
            var at = props.FindIndex(kv => kv.Key == key);
            if (at >= 0)
            {
                props[at] = new(key, value);
            }
            else
            {
                props.Add(new(key, value));
            }
        }

        return props;
    }

    /// <summary>The node's <c>server.properties</c> text.</summary>
    public string Render(DevNode node)
    {
        var text = new StringBuilder()
            .Append("# Written by `tributary dev` (regenerated on every start; edit the command line, not this file).\n");
        foreach (var (key, value) in Properties(node))
        {
            text.Append(key).Append('=').Append(value).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>Creates each node's directory and writes its <c>server.properties</c>.</summary>
    public void WriteConfigs()
    {
        foreach (var node in Nodes)
        {
            Directory.CreateDirectory(node.LogDirs);
            File.WriteAllText(node.ConfigPath, Render(node));
        }
    }

    /// <summary>
    /// The cluster id kept in <c>DIR/cluster.id</c>: generated on the first run and reused after, so
    /// restarted nodes find their meta.properties consistent.
    /// </summary>
    public static string LoadOrCreateClusterId(string dataDir)
    {
        ArgumentNullException.ThrowIfNull(dataDir);
        Directory.CreateDirectory(dataDir);
        var path = Path.Combine(dataDir, "cluster.id");
        if (File.Exists(path))
        {
            var stored = File.ReadAllText(path).Trim();
            if (stored.Length > 0 && stored.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                return stored;
            }

            throw new InvalidDataException($"{path} does not hold a cluster id; delete it (and the node directories) to start a new cluster");
        }

        var id = Tributary.Broker.Metadata.MetaProperties.NewId();
        File.WriteAllText(path, id + "\n");
        return id;
    }
}
