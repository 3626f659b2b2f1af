using System.Globalization;
using System.Text;
using Tributary.Broker.Config;
using Tributary.Protocol.Primitives;

namespace Tributary.Broker.Metadata;

/// <summary>
/// A log dir's identity file, in Kafka's KRaft format (<c>meta.properties</c>, <c>version=1</c>):
/// the cluster it belongs to, the node that owns it and the directory's own id. A broker refuses
/// to start on a dir formatted for another cluster or node.
/// </summary>
public sealed record MetaProperties(string ClusterId, int NodeId, string? DirectoryId)
{
    public const string FileName = "meta.properties";

    /// <summary>Reads <c>meta.properties</c> in <paramref name="logDir"/>; null when the file does not exist.</summary>
    public static MetaProperties? Read(string logDir)
    {
        var path = Path.Combine(logDir, FileName);
        if (!File.Exists(path))
        {
            return null;
        }

        var values = PropertiesParser.Parse(File.ReadAllText(path, Encoding.UTF8));
        if (!values.TryGetValue("version", out var version) || version.Trim() != "1")
        {
            throw new InvalidDataException($"{path}: only version=1 (KRaft) is supported, found version={version ?? "(missing)"}");
        }

        if (!values.TryGetValue("cluster.id", out var clusterId) || string.IsNullOrWhiteSpace(clusterId))
        {
            throw new InvalidDataException($"{path}: cluster.id is missing");
        }

        if (!values.TryGetValue("node.id", out var nodeText) || !int.TryParse(nodeText.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var nodeId))
        {
            throw new InvalidDataException($"{path}: node.id is missing or not a number");
        }

        return new MetaProperties(clusterId.Trim(), nodeId, values.GetValueOrDefault("directory.id")?.Trim());
    }

    /// <summary>Writes the file atomically (temp file, flush to disk, rename).</summary>
    public void Write(string logDir)
    {
        Directory.CreateDirectory(logDir);
        var text = new StringBuilder()
            .Append("#\n#Written by Tributary\n")
            .Append("cluster.id=").Append(ClusterId).Append('\n');
        if (DirectoryId is not null)
        {
            text.Append("directory.id=").Append(DirectoryId).Append('\n');
        }

        text.Append("node.id=").Append(NodeId.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append("version=1\n");
        var path = Path.Combine(logDir, FileName);
        var temp = path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(Encoding.UTF8.GetBytes(text.ToString()));
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
    }

    /// <summary>A random id in Kafka's Uuid text form: 16 bytes, base64url without padding (22 chars).</summary>
    public static string NewId()
    {
        while (true)
        {
            var text = KafkaUuid.Format(Guid.NewGuid());
            // Kafka never hands out ids starting with '-': they read as options on command lines.
            if (!text.StartsWith('-'))
            {
                return text;
            }
        }
    }

    /// <summary>
    /// Checks every log dir's meta.properties against each other and the config and writes missing
    /// ones; returns the cluster id (stored, else <c>cluster.id</c>, else a new one unless
    /// <paramref name="requireClusterId"/>: a multi-node quorum cannot invent its cluster id).
    /// Throws <see cref="InvalidOperationException"/> when a dir belongs to another cluster or node.
    /// </summary>
    public static string Ensure(BrokerConfig config, bool requireClusterId = false)
    {
        ArgumentNullException.ThrowIfNull(config);
        string? clusterId = null;
        var missing = new List<string>();
        foreach (var dir in config.LogDirs)
        {
            var meta = MetaProperties.Read(dir);
            if (meta is null)
            {
                missing.Add(dir);
                continue;
            }

            if (meta.NodeId != config.NodeId)
            {
                throw new InvalidOperationException($"{Path.Combine(dir, MetaProperties.FileName)} belongs to node {meta.NodeId}, but node.id is {config.NodeId}");
            }

            if (clusterId is not null && clusterId != meta.ClusterId)
            {
                throw new InvalidOperationException($"log dirs belong to different clusters ({clusterId} and {meta.ClusterId} in {dir})");
            }

            clusterId = meta.ClusterId;
        }

        if (clusterId is not null && config.ClusterId is not null && config.ClusterId != clusterId)
        {
            throw new InvalidOperationException($"cluster.id {config.ClusterId} does not match the cluster id {clusterId} stored in meta.properties");
        }

        if (clusterId is null && config.ClusterId is null && requireClusterId)
        {
            throw new InvalidOperationException("cluster.id must be set (as kafka-storage format does) for a multi-node metadata quorum");
        }

        clusterId ??= config.ClusterId ?? MetaProperties.NewId();
        foreach (var dir in missing)
        {
            new MetaProperties(clusterId, config.NodeId, MetaProperties.NewId()).Write(dir);
        }

        return clusterId;
    }
}
