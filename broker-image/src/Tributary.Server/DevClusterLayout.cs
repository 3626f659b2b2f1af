using System.Globalization;
using System.Text;

namespace Tributary.Server;

/// <summary>
/// The pure part of <c>tributary dev</c>: which nodes exist, their ports and racks, and each node's
/// <c>server.properties</c>. Node ids are 1..N; node i (0-based index) listens on base+i (PLAINTEXT),
/// base+100+i (CONTROLLER, controllers only) and base+200+i (metrics); the first
/// <see cref="DevOptions.Controllers"/> nodes run in combined mode. Replication defaults follow the
/// cluster size: RF = min(3, N), min.insync.replicas = min(2, N). <see cref="DevOptions.Overrides"/>
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

    /// <summary>Every node's PLAINTEXT address, comma-separated, for clients.</summary>
    public string BootstrapServers => string.Join(',', Nodes.Select(n => n.BootstrapAddress));

    /// <summary><c>controller.quorum.voters</c> for every node.</summary>
    public string QuorumVoters => string.Join(',', Nodes.Where(n => n.IsController).Select(n => $"{n.Id}@127.0.0.1:{n.ControllerPort}"));

    public short ReplicationFactor => (short)Math.Min(3, Nodes.Count);

    public int MinInsyncReplicas => Math.Min(2, Nodes.Count);

    public static DevClusterLayout Create(DevOptions options, string clusterId)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(clusterId);
        var nodes = new DevNode[options.Brokers];
        for (var i = 0; i < nodes.Length; i++)
        {
            var id = i + 1;
            var controller = i < options.Controllers;
            nodes[i] = new DevNode(
                id,
                options.Zones.Count == 0 ? null : options.Zones[i % options.Zones.Count],
                controller,
                options.BasePort + i,
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
        var listeners = $"PLAINTEXT://127.0.0.1:{node.Port}" + (node.IsController ? $",CONTROLLER://127.0.0.1:{node.ControllerPort}" : "");
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

        props.AddRange(
        [
            new("listeners", listeners),
            new("advertised.listeners", $"PLAINTEXT://127.0.0.1:{node.Port}"),
            new("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"),
            new("inter.broker.listener.name", "PLAINTEXT"),
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
